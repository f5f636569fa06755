"""Writes for programmes. Each service is one transaction and the only way in for its change."""

from programmes.services.cohort_import import CohortImportError, import_cohort_csv
from programmes.services.documents import add_document, remove_document
from programmes.services.enrolments import (
    create_cohort,
    end_enrolment,
    end_pause,
    enrol_worker,
    grant_extension,
    record_pause,
    update_enrolment,
)
from programmes.services.programmes import create_local_variant

__all__ = [
    "CohortImportError",
    "add_document",
    "create_cohort",
    "create_local_variant",
    "end_enrolment",
    "end_pause",
    "enrol_worker",
    "grant_extension",
    "import_cohort_csv",
    "record_pause",
    "remove_document",
    "update_enrolment",
]
