"""Writes for frameworks: pinning an enrolment to its version."""

from __future__ import annotations

from assessments import selectors
from assessments.models import FrameworkPin
from people.audit import save_audited
from programmes.models import Enrolment


def pin_framework(enrolment: Enrolment) -> FrameworkPin | None:
    """Pin the version the programme uses on the start date; an existing pin is kept.

    Called when an enrolment is created: a cohort that straddles a switch of standards keeps
    the version it started on unless a lead moves it.
    """
    existing = FrameworkPin.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    framework = selectors.default_framework(enrolment.cohort.programme, on=enrolment.started_on)
    if framework is None:
        return None
    pin = FrameworkPin(enrolment=enrolment, framework=framework, reason="In force on the start day")
    save_audited(pin, by=None, why="Pinned at enrolment")
    return pin
