"""Every new enrolment is pinned to its framework version, however it was created (form, CSV
import, API, admin), and every ended one gets its completion record, without `programmes`
knowing about assessments. The completion records copy a worker's name and number, so they are
registered with people.privacy here too: in subject access exports, and in the retention
anonymiser."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from assessments.selectors.completions import completion_records_of
from assessments.services.completions import anonymise_completion_records, record_completion
from people.privacy import register_anonymiser, register_subject_data
from programmes.models import Enrolment


@receiver(post_save, sender=Enrolment, dispatch_uid="assessments-pin-framework")
def _pin_new_enrolment(sender: type, instance: Enrolment, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        from assessments.services.frameworks import pin_framework

        with transaction.atomic():
            pin_framework(instance)


@receiver(post_save, sender=Enrolment, dispatch_uid="assessments-record-completion")
def _record_ended_enrolment(sender: type, instance: Enrolment, **kwargs: Any) -> None:
    if instance.status != Enrolment.Status.ACTIVE and not kwargs.get("raw"):
        # The service that ended it named who did (people.audit.save_audited): so does the record.
        record_completion(instance, by=getattr(instance, "_history_user", None))


register_subject_data(
    "assessments.completions",
    completion_records_of,
    label=_("Assessments: completion records of the programmes you finished or left"),
)
register_anonymiser("assessments.completions", anonymise_completion_records)
