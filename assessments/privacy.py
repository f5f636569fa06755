"""What assessments hold about a person, for subject access and for retention.

Registered with people.privacy from AssessmentsConfig.ready(), as supervision does. Completion
records copy a worker's name and Social Work England number as they were when the enrolment
ended, so they are in the subject access export and lose those copies to the retention
anonymiser; the outcome, the programme and the dates stay.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from assessments.selectors.completions import completion_records_of
from assessments.services.completions import anonymise_completion_records
from people.privacy import register_anonymiser, register_subject_data


def register_assessment_sections() -> None:
    """Called by AssessmentsConfig.ready()."""
    register_subject_data(
        "assessments.completions",
        completion_records_of,
        label=_("Assessments: completion records of the programmes you finished or left"),
    )
    register_anonymiser("assessments.completions", anonymise_completion_records)
