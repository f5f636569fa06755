"""Privacy duties (UK GDPR): subject access exports, anonymisation, and their audit record.

`people` knows nothing of the other apps, so each app tells this module, from its
AppConfig.ready(), what it holds about a person and how to scrub it:

- `register_subject_data(name, fn)`: fn(person) returns a JSON-serialisable section of the
  subject access export (Article 15);
- `register_subject_files(name, fn)`: fn(person) yields the person's uploaded files;
- `register_anonymiser(name, fn)`: fn(person, actor=, reason=) removes the person's personal
  data from that app's records (and their history rows) once the retention period is over.

Every export and every anonymisation leaves a PrivacyEvent naming who did it, never the subject.
"""

from __future__ import annotations

import io
import json
import logging
import posixpath
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.models import (
    AssessorInvitation,
    Notification,
    PrivacyEvent,
    Role,
    RoleMembership,
    TwoFactorDevice,
    User,
)

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "footing-subject-access/1"


class Anonymiser(Protocol):
    def __call__(self, person: User, *, actor: User | None, reason: str) -> None: ...


@dataclass(frozen=True)
class SubjectSection:
    name: str
    label: str
    collect: Callable[[User], object]


@dataclass(frozen=True)
class SubjectFile:
    """One file of the person's: `path` is its place under files/ in the export."""

    path: str
    file: File


_sections: dict[str, SubjectSection] = {}
_file_sources: dict[str, Callable[[User], Iterable[SubjectFile]]] = {}
_anonymisers: dict[str, Anonymiser] = {}


def register_subject_data(
    name: str, fn: Callable[[User], object], *, label: str | None = None
) -> None:
    """Add a section to every subject access export; registering a name again replaces it."""
    _sections[name] = SubjectSection(name=name, label=str(label or name), collect=fn)


def register_subject_files(name: str, fn: Callable[[User], Iterable[SubjectFile]]) -> None:
    _file_sources[name] = fn


def register_anonymiser(name: str, fn: Anonymiser) -> None:
    _anonymisers[name] = fn


def subject_sections() -> list[SubjectSection]:
    return list(_sections.values())


def subject_files(person: User) -> list[SubjectFile]:
    """Every registered app's files of this person, in registration order."""
    return [item for source in _file_sources.values() for item in source(person)]


def can_manage_privacy(user: User) -> bool:
    """Programme leads answer subject access requests for the council."""
    return user.is_authenticated and user.has_role(Role.LEAD)


def retention_cutoff(*, on: date, years: int) -> date:
    """The same day `years` earlier (29 February falls back to the 28th)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def placeholder_name(person_id: int) -> str:
    # Stored, so never translated: the same words whatever language the job runs in.
    return f"Former worker #{person_id}"


def placeholder_email(person_id: int) -> str:
    # ".invalid" is reserved (RFC 2606): no mail is ever sent there, and nobody can sign in.
    return f"anonymised-{person_id}@invalid"


def is_anonymised(person: User) -> bool:
    return person.email == placeholder_email(person.pk)


# --- People's own sections: the profile, the roles held and the team.


def _profile(person: User) -> dict[str, object]:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "email": person.email,
        "social_work_england_registration_number": person.swe_registration_number,
        "qualified_on": person.qualified_on,
        "employment_type": person.get_employment_type_display(),
        "active": person.is_active,
        "joined_at": person.date_joined,
        "last_signed_in_at": person.last_login,
    }


def _roles(person: User) -> dict[str, object]:
    held = RoleMembership.objects.filter(user=person).order_by("role")
    history = RoleMembership.history.filter(user_id=person.pk).order_by("history_date", "pk")
    return {
        "held": [{"role": m.get_role_display(), "granted_on": m.granted_on} for m in held],
        "changes": [
            {
                "role": dict(Role.choices).get(row.role, row.role),
                "change": {"+": "granted", "-": "revoked"}.get(row.history_type, "changed"),
                "at": row.history_date,
            }
            for row in history
        ],
    }


def _team(person: User) -> dict[str, object] | None:
    if person.team is None:
        return None
    return {"name": person.team.name, "service_area": person.team.get_service_area_display()}


def _privacy_events(person: User) -> list[dict[str, object]]:
    events = PrivacyEvent.objects.filter(subject_id=person.pk).order_by("at", "pk")
    return [{"kind": event.get_kind_display(), "at": event.at} for event in events]


def _sign_in(person: User) -> dict[str, object]:
    """Whether two-step verification is on, and since when; never the secret itself."""
    device = TwoFactorDevice.objects.filter(user=person).first()
    return {
        "two_step_verification": device is not None,
        "two_step_verification_since": device.confirmed_at if device else None,
        "last_sign_in": person.last_login,
    }


def _forget_sign_in(person: User, *, actor: User | None, reason: str) -> None:
    """An anonymised person never signs in again: their authenticator secret goes too."""
    TwoFactorDevice.objects.filter(user=person).delete()


def _notifications(person: User) -> list[dict[str, object]]:
    rows = Notification.objects.filter(recipient=person).order_by("created_at", "pk")
    return [
        {
            "title": row.title,
            "message": row.body,
            "created_at": row.created_at,
            "read_at": row.read_at,
            "email": row.get_email_status_display(),
        }
        for row in rows
    ]


def _forget_notifications(person: User, *, actor: User | None, reason: str) -> None:
    """Notifications name the person and their colleagues' circumstances: none is kept."""
    Notification.objects.filter(recipient=person).delete()


def _assessor_invitation(person: User) -> dict[str, object] | None:
    """For an assessor from outside the authority: their organisation and invitation dates."""
    invitation = AssessorInvitation.objects.filter(person=person).first()
    if invitation is None:
        return None
    return {
        "organisation": invitation.organisation,
        "invited_at": invitation.invited_at,
        "link_last_sent_at": invitation.sent_at,
        "accepted_at": invitation.accepted_at,
    }


def register_people_sections() -> None:
    """Called by PeopleConfig.ready()."""
    register_subject_data("people.sign_in", _sign_in, label=gettext_lazy("How you sign in"))
    register_anonymiser("people.sign_in", _forget_sign_in)
    register_subject_data("people.profile", _profile, label=gettext_lazy("Your profile"))
    register_subject_data("people.roles", _roles, label=gettext_lazy("Roles held, and changes"))
    register_subject_data("people.team", _team, label=gettext_lazy("Your team"))
    register_subject_data(
        "people.assessor_invitation",
        _assessor_invitation,
        label=gettext_lazy("Your invitation to assess"),
    )
    register_subject_data(
        "people.privacy_events",
        _privacy_events,
        label=gettext_lazy("Earlier subject access exports about you"),
    )
    register_subject_data(
        "people.notifications", _notifications, label=gettext_lazy("Notifications sent to you")
    )
    register_anonymiser("people.notifications", _forget_notifications)


# --- Services.


def record_privacy_event(
    *, kind: str, actor: User | None, subject_id: int | None = None, detail: dict | None = None
) -> PrivacyEvent:
    """Append one entry to the privacy record (callers hold the transaction)."""
    event = PrivacyEvent(kind=kind, actor=actor, subject_id=subject_id, detail=detail or {})
    event.full_clean()
    event.save()
    return event


def _archive_path(path: str) -> str:
    """files/<path>, with nothing that could climb out of the folder when unzipped."""
    parts = [part for part in posixpath.normpath(path.replace("\\", "/")).split("/")]
    parts = [part for part in parts if part not in ("", ".", "..")]
    if not parts:
        raise ValueError("A subject file needs a name.")
    return posixpath.join("files", *parts)


def build_subject_access_export(*, requested_by: User, person: User) -> bytes:
    """A ZIP of everything held about the person: person.json, and their files under files/."""
    if not can_manage_privacy(requested_by):
        raise PermissionDenied
    # Read outside a transaction: with SQLite's immediate transactions, zipping large files
    # inside one would hold the write lock, and every other writer would wait.
    sections = {section.name: section.collect(person) for section in subject_sections()}
    files, missing = [], []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in subject_files(person):
            path = _archive_path(item.path)
            if path in files:
                raise ValueError(f"Two subject files share the path {path}.")
            try:
                with item.file.open("rb") as source:
                    archive.writestr(path, source.read())
            except FileNotFoundError:
                missing.append(path)  # listed, so the gap is explained rather than hidden
                continue
            files.append(path)
        document = {
            "format": EXPORT_FORMAT,
            "generated_at": timezone.now(),
            "person_id": person.pk,
            "sections": sections,
            "files": files,
            "missing_files": missing,
        }
        archive.writestr(
            "person.json", json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
    with transaction.atomic():
        record_privacy_event(
            kind=PrivacyEvent.Kind.SUBJECT_ACCESS_EXPORT,
            actor=requested_by,
            subject_id=person.pk,
            detail={"sections": sorted(sections), "files": len(files), "missing": len(missing)},
        )
    logger.info("Subject access export for person %s by person %s", person.pk, requested_by.pk)
    return buffer.getvalue()


def anonymise_person(
    *, person: User, reason: str, actor: User | None, detail: dict | None = None
) -> bool:
    """Replace who the person is with placeholders, everywhere; False if done already.

    Only a former worker: someone who holds a staff role (supervisor, assessor, manager, lead)
    or may use the admin site is current staff, and is refused. `actor` is None when the
    scheduled job does it.
    """
    if actor is not None and not can_manage_privacy(actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this person is being anonymised.")})
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if is_anonymised(person):
            return False
        staff_roles = set(
            RoleMembership.objects.filter(user=person).values_list("role", flat=True)
        ) - {Role.WORKER}
        if staff_roles or person.is_staff or person.is_superuser:
            raise ValidationError(
                _("Person #%(id)s is current staff and is never anonymised.") % {"id": person.pk}
            )
        person.full_name = placeholder_name(person.pk)
        person.email = placeholder_email(person.pk)
        person.swe_registration_number = ""
        person.qualified_on = None  # with the counts kept, a date could still point to someone
        person.set_unusable_password()
        person.is_active = False
        # No full_clean: the placeholder address is invalid on purpose (see placeholder_email).
        person.save(
            update_fields=[
                "full_name",
                "email",
                "swe_registration_number",
                "qualified_on",
                "password",
                "is_active",
            ]
        )
        # People's own history (RoleMembership) holds ids and role names only: nothing to scrub.
        for anonymiser in _anonymisers.values():
            anonymiser(person, actor=actor, reason=reason.strip())
        record_privacy_event(
            kind=PrivacyEvent.Kind.RETENTION_ANONYMISED,
            actor=actor,
            subject_id=person.pk,
            detail={"reason": reason.strip(), **(detail or {})},
        )
    logger.info("Anonymised person %s", person.pk)
    return True
