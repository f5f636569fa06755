"""Writes for programmes. Each service is one transaction and the only way in for its change."""

from programmes.services.cohort_import import CohortImportError, import_cohort_csv
from programmes.services.enrolments import (
    create_cohort,
    end_enrolment,
    end_pause,
    enrol_worker,
    grant_extension,
    record_pause,
    update_enrolment,
)

__all__ = [
    "CohortImportError",
    "create_cohort",
    "end_enrolment",
    "end_pause",
    "enrol_worker",
    "grant_extension",
    "import_cohort_csv",
    "record_pause",
    "update_enrolment",
]
