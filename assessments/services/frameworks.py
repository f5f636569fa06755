"""Writes for frameworks: pinning an enrolment to its version, and a lead moving it to another."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.models import EvidenceStatement, Framework, FrameworkPin
from assessments.selectors.frameworks import (
    can_move_framework,
    frameworks_for_enrolment,
    mapped_targets,
)
from people.audit import save_audited
from people.models import User
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


def move_framework(
    *, moved_by: User, enrolment: Enrolment, framework: Framework, reason: str
) -> FrameworkPin:
    """Assess an enrolment against another version; evidence keeps its tags and gains the
    mapped statements of the new version, so its history still reads true."""
    if not can_move_framework(moved_by, enrolment):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the enrolment moves to this version.")})
    if not frameworks_for_enrolment(enrolment).filter(pk=framework.pk).exists():
        message = _("%(framework)s is not used by %(programme)s. Choose one of its frameworks.")
        values = {"framework": framework, "programme": enrolment.cohort.programme.name}
        raise ValidationError({"framework": message % values})
    with transaction.atomic():
        pin = FrameworkPin.objects.select_for_update().filter(enrolment=enrolment).first()
        if pin is not None and pin.framework_id == framework.pk:
            message = _("The enrolment is already assessed against %(framework)s.")
            raise ValidationError({"framework": message % {"framework": framework}})
        previous = pin.framework if pin is not None else None
        pin = pin or FrameworkPin(enrolment=enrolment)
        pin.framework = framework
        pin.reason = reason
        pin.pinned_at = timezone.now()
        moved_from = f"{previous.code}:{previous.version}" if previous else "no framework"
        why = f"Moved from {moved_from} to {framework.code}:{framework.version}: {reason}"
        save_audited(pin, by=moved_by, why=why)
        tags = EvidenceStatement.objects.filter(evidence__enrolment=enrolment).values_list(
            "evidence_id", "statement_id"
        )
        by_evidence: dict[int, set[int]] = {}
        for evidence_id, statement_id in tags:
            by_evidence.setdefault(evidence_id, set()).add(statement_id)
        targets = mapped_targets(
            {pk for found in by_evidence.values() for pk in found}, framework=framework
        )
        EvidenceStatement.objects.bulk_create(
            [
                EvidenceStatement(evidence_id=evidence_id, statement_id=target, mapped=True)
                for evidence_id, found in by_evidence.items()
                for target in sorted({t for s in found for t in targets[s]} - found)
            ],
            # Two routes from old statements to one new one give one tag, not a clash.
            ignore_conflicts=True,
        )
    return pin
