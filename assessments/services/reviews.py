"""Review writes: record a review at a review point, open and close concerns, the assessor's
final recommendation, and the moderation panel's decision that settles the enrolment."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Concern,
    FinalAssessment,
    ModerationDecision,
    Progress,
    Recommendation,
    Review,
    Standard,
    StandardSummary,
)
from assessments.selectors import framework_for
from assessments.selectors import reviews as selectors
from people.audit import save_audited
from people.models import Role, User
from people.notifications import queue_notifications, render_notification
from programmes.models import Enrolment
from programmes.services.enrolments import close_on_outcome, grant_extension

CONCERN_OPENED = "concern-opened"


def _strip(value: str | None) -> str:
    return (value or "").strip()


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _lock(enrolment: Enrolment) -> Enrolment:
    """The enrolment's row, locked to the end of the transaction: two people recording at once
    queue behind each other instead of both passing the checks."""
    return Enrolment.objects.select_for_update().get(pk=enrolment.pk)


def _check_held_on(enrolment: Enrolment, held_on: date, *, field: str) -> None:
    if held_on and held_on < enrolment.started_on:
        raise ValidationError(
            {
                field: _("The date cannot be before the programme started (%(day)s).")
                % {"day": _day(enrolment.started_on)}
            }
        )


def _tell_about_concern(concern: Concern, *, opened_by: User) -> None:
    """The worker's team manager and the programme leads hear of a concern the day it opens."""
    enrolment = concern.enrolment
    team = enrolment.worker.team
    people = [team.manager_id] if team is not None and team.manager_id else []
    people += list(
        User.objects.filter(role_memberships__role=Role.LEAD, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    recipients = [
        pk
        for pk in dict.fromkeys(people)
        if pk not in (opened_by.pk, enrolment.worker_id)  # the worker hears it at the review
    ]
    link = reverse("assessments:review-list", args=[enrolment.pk])
    queue_notifications(
        render_notification(
            recipient_id=pk,
            kind=CONCERN_OPENED,
            subject_key=f"concern-{concern.pk}-opened",
            context={"concern": concern, "enrolment": enrolment},
            link=link,
        )
        for pk in recipients
    )


def _new_concern(
    *,
    enrolment: Enrolment,
    opened_by: User,
    reason: str,
    action_plan: str,
    review_on: date | None,
    review: Review | None = None,
) -> Concern:
    errors: dict[str, str] = {}
    if not _strip(reason):
        errors["reason"] = _("Say what the concern is.")
    if not _strip(action_plan):
        errors["action_plan"] = _("Write the action plan: what will happen, who does it, by when.")
    if review_on is None:
        errors["review_on"] = _("Enter the date by which the plan will be reviewed.")
    if errors:
        raise ValidationError(errors)
    concern = Concern(
        enrolment=enrolment,
        review=review,
        opened_by=opened_by,
        opened_on=timezone.localdate(),
        reason=_strip(reason),
        action_plan=_strip(action_plan),
        review_on=review_on,
    )
    save_audited(concern, by=opened_by, why="Concern opened")
    _tell_about_concern(concern, opened_by=opened_by)
    return concern


def record_review(
    *,
    recorded_by: User,
    enrolment: Enrolment,
    months: int,
    held_on: date,
    attendees: str,
    progress: str,
    summary: str,
    actions: str = "",
    concern_reason: str = "",
    action_plan: str = "",
    review_on: date | None = None,
) -> Review:
    """Record the review held at one of the programme's review points. Progress judged "causing
    concern" opens a concern, with its action plan, in the same transaction."""
    if not selectors.can_record_review(recorded_by, enrolment):
        raise PermissionDenied
    with transaction.atomic():
        enrolment = _lock(enrolment)
        on = timezone.localdate()
        points = {m.months: m for m in selectors.review_milestones(enrolment, on=on)}
        if months not in points:
            raise ValidationError({"months": _("Choose one of the programme's review points.")})
        if enrolment.reviews.filter(months=months).exists():
            raise ValidationError(
                {
                    "months": _(
                        "The %(months)s-month review is already recorded. Open it from the "
                        "reviews page to read it."
                    )
                    % {"months": months}
                }
            )
        _check_held_on(enrolment, held_on, field="held_on")
        review = Review(
            enrolment=enrolment,
            months=months,
            is_final=points[months].is_final,
            held_on=held_on,
            attendees=_strip(attendees),
            progress=progress,
            summary=_strip(summary),
            actions=_strip(actions),
            recorded_by=recorded_by,
        )
        save_audited(review, by=recorded_by, why="Review recorded")
        if progress == Progress.CAUSING_CONCERN:
            _new_concern(
                enrolment=enrolment,
                opened_by=recorded_by,
                reason=concern_reason or summary,
                action_plan=action_plan,
                review_on=review_on,
                review=review,
            )
    return review


def open_concern(
    *,
    opened_by: User,
    enrolment: Enrolment,
    reason: str,
    action_plan: str,
    review_on: date | None,
) -> Concern:
    """Open a concern between reviews, with its action plan and the date to review it by."""
    if not selectors.can_open_concern(opened_by, enrolment):
        raise PermissionDenied
    with transaction.atomic():
        enrolment = _lock(enrolment)
        return _new_concern(
            enrolment=enrolment,
            opened_by=opened_by,
            reason=reason,
            action_plan=action_plan,
            review_on=review_on,
        )


def close_concern(
    *, closed_by: User, concern: Concern, outcome: str, closed_on: date | None = None
) -> Concern:
    """Close a concern, saying how it ended: what changed, and whether anything carries on."""
    if not selectors.can_close_concern(closed_by, concern):
        raise PermissionDenied
    closed_on = closed_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not _strip(outcome):
        errors["outcome"] = _("Say how the concern was resolved.")
    if closed_on > timezone.localdate():
        errors["closed_on"] = _("The date must be today or in the past.")
    elif closed_on < concern.opened_on:
        errors["closed_on"] = _("The date must be on or after the concern opened (%(day)s).") % {
            "day": _day(concern.opened_on)
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Concern.objects.select_for_update().get(pk=concern.pk)
        if locked.status != Concern.Status.OPEN:
            raise ValidationError(_("This concern is already closed."), code="closed")
        locked.status = Concern.Status.CLOSED
        locked.closed_on = closed_on
        locked.closed_by = closed_by
        locked.outcome = _strip(outcome)
        save_audited(locked, by=closed_by, why="Concern closed")
    concern.refresh_from_db()
    return concern


def record_final_assessment(
    *,
    recorded_by: User,
    enrolment: Enrolment,
    recommendation: str,
    summary: str,
    standard_summaries: Mapping[int, str],
    extension_weeks: int | None = None,
) -> FinalAssessment:
    """The assessor's recommendation, with an overall summary and one against every standard of
    the pinned framework. A second round, after an extension, writes over the first; the
    history keeps the first, and the panel's decisions on it stay listed."""
    if not selectors.can_record_final(recorded_by, enrolment):
        raise PermissionDenied
    on = timezone.localdate()
    with transaction.atomic():
        enrolment = _lock(enrolment)
        schedule = selectors.review_schedule(enrolment, on=on)
        opens_on = selectors.final_opens_on(schedule)
        if opens_on is None:
            raise ValidationError(_("This programme has no final review point."))
        if on < opens_on:
            raise ValidationError(
                _(
                    "The final assessment opens on %(day)s, four weeks before the final review "
                    "point. Record the reviews before it first."
                )
                % {"day": _day(opens_on)},
                code="too_early",
            )
        existing = selectors.final_assessment_of(enrolment)
        if existing is not None:
            decision = selectors.current_round(existing)
            if decision is None:
                raise ValidationError(
                    _("A recommendation is already waiting for the moderation panel."),
                    code="waiting",
                )
            if decision.outcome != Recommendation.EXTEND:
                raise ValidationError(_("The panel has already decided the outcome."))
        framework = framework_for(enrolment)
        standards = list(Standard.objects.filter(framework=framework).order_by("position", "pk"))
        errors: dict[str, str] = {}
        if recommendation not in Recommendation.values:
            errors["recommendation"] = _("Choose pass, fail or extend the programme.")
        if recommendation == Recommendation.EXTEND and not extension_weeks:
            errors["extension_weeks"] = _("Enter how many weeks the programme should be extended.")
        if not _strip(summary):
            errors["summary"] = _("Write the overall summary of the worker's practice.")
        for standard in standards:
            if not _strip(standard_summaries.get(standard.pk)):
                errors[f"standard_{standard.pk}"] = _(
                    "Write a summary against standard %(number)s."
                ) % {"number": standard.number}
        if errors:
            raise ValidationError(errors)
        final = existing or FinalAssessment(enrolment=enrolment)
        final.assessor = recorded_by
        final.recommendation = recommendation
        final.extension_weeks = extension_weeks if recommendation == Recommendation.EXTEND else None
        final.summary = _strip(summary)
        final.recommended_at = timezone.now()
        why = "Final recommendation made" if existing is None else "New round after an extension"
        save_audited(final, by=recorded_by, why=why)
        for old in final.standard_summaries.all():
            old._history_user, old._change_reason = recorded_by, "Replaced by the new round"
            old.delete()
        for standard in standards:
            row = StandardSummary(
                final_assessment=final,
                standard=standard,
                summary=_strip(standard_summaries[standard.pk]),
            )
            save_audited(row, by=recorded_by, why="Summary against the standard")
    return final


def record_moderation(
    *,
    decided_by: User,
    enrolment: Enrolment,
    panel: str,
    decided_on: date,
    decision: str,
    outcome: str = "",
    reasons: str = "",
    extension_weeks: int | None = None,
) -> ModerationDecision:
    """The panel's decision on the recommendation, and its outcome applied to the enrolment in
    the same transaction: a pass completes it, a fail ends it (not passed), an extension moves
    the final review point on and the assessor recommends again after it."""
    if not selectors.can_moderate(decided_by, enrolment):
        raise PermissionDenied
    with transaction.atomic():
        enrolment = _lock(enrolment)
        final = selectors.final_assessment_of(enrolment)
        if final is None:
            raise ValidationError(
                _("The assessor has not made a final recommendation yet."), code="no_final"
            )
        if selectors.current_round(final) is not None:
            raise ValidationError(
                _("The panel's decision on this recommendation is already recorded.")
            )
        errors: dict[str, str] = {}
        if not _strip(panel):
            errors["panel"] = _("Enter the names of the panel members.")
        if decision == ModerationDecision.Decision.AGREE:
            outcome = final.recommendation
            reasons = _strip(reasons) or _("The panel agreed with the assessor's recommendation.")
            if outcome == Recommendation.EXTEND and not extension_weeks:
                extension_weeks = final.extension_weeks
        elif decision == ModerationDecision.Decision.DISAGREE:
            if outcome not in Recommendation.values:
                errors["outcome"] = _("Choose the outcome the panel decided.")
            elif outcome == final.recommendation:
                errors["outcome"] = _(
                    "The panel disagrees, so choose an outcome other than the recommendation."
                )
            if not _strip(reasons):
                errors["reasons"] = _("Give the panel's reasons for disagreeing.")
        else:
            errors["decision"] = _("Choose whether the panel agrees with the recommendation.")
        if outcome == Recommendation.EXTEND and not extension_weeks and "outcome" not in errors:
            errors["extension_weeks"] = _("Enter how many weeks the programme is extended by.")
        recommended_on = timezone.localtime(final.recommended_at).date()
        if decided_on and decided_on < recommended_on:
            errors["decided_on"] = _(
                "The panel must meet on or after the recommendation (%(day)s)."
            ) % {"day": _day(recommended_on)}
        if errors:
            raise ValidationError(errors)
        moderation = ModerationDecision(
            final_assessment=final,
            decided_by=decided_by,
            panel=_strip(panel),
            decided_on=decided_on,
            decision=decision,
            outcome=outcome,
            reasons=_strip(reasons),
        )
        save_audited(moderation, by=decided_by, why="Moderation panel decision recorded")
        why = _("Moderation panel on %(day)s: %(outcome)s") % {
            "day": _day(decided_on),
            "outcome": Recommendation(outcome).label,
        }
        if outcome == Recommendation.EXTEND:
            grant_extension(
                approved_by=decided_by,
                enrolment=enrolment,
                weeks=extension_weeks,
                reason=str(why),
            )
        else:
            close_on_outcome(
                decided_by=decided_by,
                enrolment=enrolment,
                passed=outcome == Recommendation.PASS,
                ended_on=decided_on,
                reason=str(why),
            )
    return moderation
