"""Every new enrolment is pinned to its framework version, however it was created (form, CSV
import, API, admin), without `programmes` knowing about assessments."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from programmes.models import Enrolment


@receiver(post_save, sender=Enrolment, dispatch_uid="assessments-pin-framework")
def _pin_new_enrolment(sender: type, instance: Enrolment, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        from assessments.services.frameworks import pin_framework

        with transaction.atomic():
            pin_framework(instance)
