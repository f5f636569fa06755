"""Every new enrolment is pinned to its framework version, however it was created (form, CSV
import, API, admin), and every ended one gets its completion record, without `programmes`
knowing about assessments."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from assessments.services.completions import record_completion
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
