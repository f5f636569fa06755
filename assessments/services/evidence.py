"""Evidence writes: a worker's draft, its autosave, its attachment, submission and deletion.

Only drafts and returned items change; an item waiting for the assessor, or signed off, is
refused (a reversal of the sign-off is what reopens it). Submitting and the assessor's decision
both lock the item's row, so a submission and a decision arriving together cannot cross.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Evidence, EvidenceStatement, Statement
from assessments.selectors import evidence as selectors
from assessments.selectors import framework_for
from people.audit import save_audited
from people.files import check_upload, stored_name
from people.models import User
from programmes.models import Enrolment

REFLECTION_FIELDS = ("what_happened", "what_i_learned", "what_i_will_do")
FEEDBACK_FIELDS = ("source_name", "source_relationship")
# What autosave may write: text only, so a half-typed date or a box not yet ticked is never
# judged while the person is still typing.
TEXT_FIELDS = ("title", *REFLECTION_FIELDS, "body", *FEEDBACK_FIELDS)
TEXT_LIMITS = {"title": 200, "source_name": 200, "source_relationship": 200}


def text_fields_for(kind: str) -> tuple[str, ...]:
    """The boxes a kind of evidence is written in (besides its title and date)."""
    if kind == Evidence.Kind.REFLECTION:
        return REFLECTION_FIELDS
    if kind in selectors.FEEDBACK_KINDS:
        return (*FEEDBACK_FIELDS, "body")
    return ("body",)


def _clean_text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def checked_statements(enrolment: Enrolment, statements: Iterable[Statement]) -> list[Statement]:
    """The statements, if every one belongs to the framework the enrolment is assessed against."""
    chosen = list(dict.fromkeys(statements))
    if not chosen:
        return chosen
    framework = framework_for(enrolment)
    inside = Statement.objects.filter(
        pk__in=[statement.pk for statement in chosen], standard__framework=framework
    )
    if framework is None or inside.count() != len(chosen):
        raise ValidationError(
            {
                "statements": _(
                    "Choose only statements from the framework this programme is assessed against."
                )
            }
        )
    return chosen


def set_statements(evidence: Evidence, statements: list[Statement]) -> None:
    """The item's tags become exactly `statements`; a tag kept keeps its `mapped` flag."""
    wanted = {statement.pk for statement in statements}
    EvidenceStatement.objects.filter(evidence=evidence).exclude(statement__in=wanted).delete()
    have = set(
        EvidenceStatement.objects.filter(evidence=evidence).values_list("statement", flat=True)
    )
    EvidenceStatement.objects.bulk_create(
        EvidenceStatement(evidence=evidence, statement_id=pk) for pk in wanted - have
    )


def locked_evidence(evidence: Evidence) -> Evidence:
    """The item's row, locked until the transaction ends, as it is now (not as first read)."""
    return Evidence.objects.select_for_update().select_related("enrolment").get(pk=evidence.pk)


def _refuse_unless_editable(locked: Evidence) -> None:
    if locked.status == Evidence.Status.SIGNED_OFF:
        raise ValidationError(
            _("This evidence is signed off and can no longer be changed."), code="locked"
        )
    if locked.status == Evidence.Status.SUBMITTED:
        raise ValidationError(
            _(
                "This evidence is waiting for your assessor. You can change it again if they "
                "return it to you."
            ),
            code="submitted",
        )


def _store_upload(evidence: Evidence, upload: File) -> str:
    """Check the file by its bytes and store it under a random name; returns the old name."""
    try:
        detected = check_upload(upload, size=upload.size)
    except ValidationError as refusal:
        raise ValidationError({"attachment": refusal.messages}) from None
    previous = evidence.attachment.name if evidence.attachment else ""
    evidence.attachment.save(stored_name(detected), upload, save=False)
    evidence.attachment_type = detected.content_type
    evidence.attachment_bytes = upload.size
    original = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    evidence.attachment_name = original[:200] or _("Attachment")
    return previous


def _clear_attachment(evidence: Evidence) -> str:
    previous = evidence.attachment.name if evidence.attachment else ""
    evidence.attachment = ""
    evidence.attachment_name, evidence.attachment_type, evidence.attachment_bytes = "", "", 0
    return previous


def _delete_file_on_commit(evidence: Evidence, name: str) -> None:
    if name:
        storage = evidence.attachment.storage
        transaction.on_commit(lambda: storage.delete(name))


def _save_with_file(evidence: Evidence, *, by: User, why: str, new_file: str) -> None:
    """Save; a file stored for a save that then fails is removed, so none is left orphaned."""
    try:
        save_audited(evidence, by=by, why=why)
    except Exception:
        if new_file:
            evidence.attachment.storage.delete(new_file)
        raise


def create_evidence(
    *,
    created_by: User,
    enrolment: Enrolment,
    kind: str,
    title: str,
    occurred_on: date,
    what_happened: str = "",
    what_i_learned: str = "",
    what_i_will_do: str = "",
    body: str = "",
    source_name: str = "",
    source_relationship: str = "",
    statements: Iterable[Statement] = (),
    attachment: File | None = None,
) -> Evidence:
    """Save a new draft, seen by its author alone until they submit it."""
    if not selectors.can_create_evidence(created_by, enrolment):
        raise PermissionDenied
    if kind not in selectors.WRITTEN_KINDS:
        raise ValidationError({"kind": _("Choose the kind of evidence you are adding.")})
    chosen = checked_statements(enrolment, statements)
    evidence = Evidence(
        enrolment=enrolment,
        author=created_by,
        kind=kind,
        title=_clean_text(title),
        occurred_on=occurred_on,
        status=Evidence.Status.DRAFT,
    )
    values = {
        "what_happened": what_happened,
        "what_i_learned": what_i_learned,
        "what_i_will_do": what_i_will_do,
        "body": body,
        "source_name": source_name,
        "source_relationship": source_relationship,
    }
    for field in text_fields_for(kind):
        setattr(evidence, field, _clean_text(values[field]))
    new_file = ""
    with transaction.atomic():
        if attachment is not None:
            _store_upload(evidence, attachment)
            new_file = evidence.attachment.name
        _save_with_file(evidence, by=created_by, why="Draft started", new_file=new_file)
        set_statements(evidence, chosen)
    return evidence


def update_evidence(
    *,
    updated_by: User,
    evidence: Evidence,
    title: str,
    occurred_on: date,
    what_happened: str = "",
    what_i_learned: str = "",
    what_i_will_do: str = "",
    body: str = "",
    source_name: str = "",
    source_relationship: str = "",
    statements: Iterable[Statement] = (),
    attachment: File | None = None,
    remove_attachment: bool = False,
) -> Evidence:
    """Save every part of a draft or returned item: text, date, statements and attachment."""
    if not selectors.can_edit(updated_by, evidence):
        raise PermissionDenied
    values = {
        "what_happened": what_happened,
        "what_i_learned": what_i_learned,
        "what_i_will_do": what_i_will_do,
        "body": body,
        "source_name": source_name,
        "source_relationship": source_relationship,
    }
    with transaction.atomic():
        locked = locked_evidence(evidence)
        _refuse_unless_editable(locked)
        chosen = checked_statements(locked.enrolment, statements)
        locked.title, locked.occurred_on = _clean_text(title), occurred_on
        for field in text_fields_for(locked.kind):
            setattr(locked, field, _clean_text(values[field]))
        locked.updated_at = timezone.now()
        old_file = new_file = ""
        if attachment is not None:
            old_file = _store_upload(locked, attachment)
            new_file = locked.attachment.name
        elif remove_attachment:
            old_file = _clear_attachment(locked)
        _save_with_file(locked, by=updated_by, why="Draft changed", new_file=new_file)
        set_statements(locked, chosen)
        _delete_file_on_commit(locked, old_file)
    return locked


def autosave_evidence(*, saved_by: User, evidence: Evidence, **text: str) -> Evidence:
    """Keep what the author has typed so far; nothing is required yet and the status stays.

    Only text fields are written, and only those sent; a blank title keeps the last one, since
    the title names the draft in the author's list.
    """
    if not selectors.can_edit(saved_by, evidence):
        raise PermissionDenied
    unknown = set(text) - set(TEXT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be saved here.") for name in unknown})
    with transaction.atomic():
        locked = locked_evidence(evidence)
        _refuse_unless_editable(locked)
        allowed = {"title", *text_fields_for(locked.kind)}
        errors = {}
        for field, value in text.items():
            if field not in allowed:
                continue
            value = _clean_text(value)
            if "\x00" in value:
                errors[field] = _("Remove the unusual character from this text")
            elif len(value) > TEXT_LIMITS.get(field, 100_000):
                errors[field] = _("This text is too long. Shorten it and save again.")
            elif field == "title" and not value:
                continue
            else:
                setattr(locked, field, value)
        if errors:
            raise ValidationError(errors)
        locked.updated_at = timezone.now()
        # The draft was valid when last saved in full; partial text is kept as typed.
        save_audited(locked, by=saved_by, why="Draft saved as typed", validate=False)
    return locked


def attach_evidence_file(*, attached_by: User, evidence: Evidence, upload: File) -> Evidence:
    """Attach a file to a draft or returned item, replacing any file it had."""
    if not selectors.can_edit(attached_by, evidence):
        raise PermissionDenied
    with transaction.atomic():
        locked = locked_evidence(evidence)
        _refuse_unless_editable(locked)
        old_file = _store_upload(locked, upload)
        _save_with_file(
            locked, by=attached_by, why="Attachment added", new_file=locked.attachment.name
        )
        _delete_file_on_commit(locked, old_file)
    return locked


def remove_evidence_file(*, removed_by: User, evidence: Evidence) -> Evidence:
    if not selectors.can_edit(removed_by, evidence):
        raise PermissionDenied
    with transaction.atomic():
        locked = locked_evidence(evidence)
        _refuse_unless_editable(locked)
        old_file = _clear_attachment(locked)
        save_audited(locked, by=removed_by, why="Attachment removed")
        _delete_file_on_commit(locked, old_file)
    return locked


def missing_for_submission(evidence: Evidence) -> dict[str, str]:
    """What an item still needs before it can go to the assessor, by field."""
    missing = {}
    if not evidence.title.strip():
        missing["title"] = _("Enter a title")
    if not evidence.occurred_on:
        missing["occurred_on"] = _("Enter the date of the practice")
    if evidence.kind == Evidence.Kind.OBSERVATION:
        observation = getattr(evidence, "observation", None)
        if observation is None or not observation.what_was_observed.strip():
            missing["body"] = _("The observer has not yet written what they observed.")
    else:
        labels = {
            "what_happened": _("Write what happened"),
            "what_i_learned": _("Write what you learned"),
            "what_i_will_do": _("Write what you will do next"),
            "body": _("Write the evidence"),
        }
        for field in text_fields_for(evidence.kind):
            if field in labels and not getattr(evidence, field).strip():
                missing[field] = labels[field]
    if not EvidenceStatement.objects.filter(evidence=evidence).exists():
        missing["statements"] = _("Choose at least one statement this evidence shows")
    return missing


def submit_evidence(*, submitted_by: User, evidence: Evidence) -> Evidence:
    """Send a draft (or a returned item, again) to the assessor; it waits, unchangeable."""
    if not selectors.can_submit(submitted_by, evidence):
        raise PermissionDenied
    with transaction.atomic():
        locked = locked_evidence(evidence)
        _refuse_unless_editable(locked)
        missing = missing_for_submission(locked)
        if missing:
            raise ValidationError(missing)
        again = locked.status == Evidence.Status.RETURNED
        locked.status = Evidence.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.times_submitted += 1
        locked.updated_at = locked.submitted_at
        save_audited(locked, by=submitted_by, why="Resubmitted" if again else "Submitted")
    evidence.status, evidence.submitted_at = locked.status, locked.submitted_at
    evidence.times_submitted = locked.times_submitted
    return locked


def delete_draft(*, deleted_by: User, evidence: Evidence) -> None:
    """Delete a draft nobody else has seen; its file goes with it."""
    if not selectors.can_delete(deleted_by, evidence):
        raise PermissionDenied
    with transaction.atomic():
        locked = locked_evidence(evidence)
        if locked.status != Evidence.Status.DRAFT:
            raise ValidationError(_("Only a draft can be deleted; this one has been submitted."))
        old_file = locked.attachment.name if locked.attachment else ""
        locked._history_user = deleted_by
        locked._change_reason = "Draft deleted"
        locked.delete()
        _delete_file_on_commit(locked, old_file)
