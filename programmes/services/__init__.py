"""Writes for programmes. Each service is one transaction and the only way in for its change."""

from programmes.services.caseloads import (
    SnapshotRow,
    acknowledge_caseload_breach,
    detect_caseload_breaches,
    escalate_caseload_breaches,
    ingest_caseload_snapshots,
    notify_caseload_breaches,
    record_caseload_snapshot,
    record_protected_time,
    resolve_caseload_breach,
    save_import_profile,
)
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
    "SnapshotRow",
    "acknowledge_caseload_breach",
    "add_document",
    "create_cohort",
    "create_local_variant",
    "detect_caseload_breaches",
    "end_enrolment",
    "end_pause",
    "enrol_worker",
    "escalate_caseload_breaches",
    "grant_extension",
    "import_cohort_csv",
    "ingest_caseload_snapshots",
    "notify_caseload_breaches",
    "record_caseload_snapshot",
    "record_pause",
    "record_protected_time",
    "remove_document",
    "resolve_caseload_breach",
    "save_import_profile",
    "update_enrolment",
]
