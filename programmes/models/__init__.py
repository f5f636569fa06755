"""What they are on: programmes (rules as data), cohorts, enrolments and their parts."""

from programmes.models.caseloads import (
    CaseloadBreach,
    CaseloadImportProfile,
    CaseloadSnapshot,
    ProtectedTimeEntry,
)
from programmes.models.enrolments import (
    OUT_OF_RANGE,
    Cohort,
    Enrolment,
    EnrolmentDocument,
    EnrolmentExtension,
    EnrolmentPartQuerySet,
    EnrolmentPause,
    check_past_day,
)
from programmes.models.programme import Programme
from programmes.models.revisions import EnrolmentRevision

__all__ = [
    "OUT_OF_RANGE",
    "CaseloadBreach",
    "CaseloadImportProfile",
    "CaseloadSnapshot",
    "Cohort",
    "Enrolment",
    "EnrolmentDocument",
    "EnrolmentExtension",
    "EnrolmentPartQuerySet",
    "EnrolmentPause",
    "EnrolmentRevision",
    "Programme",
    "ProtectedTimeEntry",
    "check_past_day",
]
