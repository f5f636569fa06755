"""Programme rules: a lead's local variant of a seeded programme."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from people.models import User
from programmes.models import Programme
from programmes.selectors import can_manage_cohorts


def create_local_variant(
    *, created_by: User, based_on: Programme, code: str, name: str, description: str = ""
) -> Programme:
    """A copy of a programme's rules under a new code, for the authority to adjust."""
    if not can_manage_cohorts(created_by):
        raise PermissionDenied
    code = code.strip().upper()
    with transaction.atomic():
        if Programme.objects.filter(code__iexact=code).exists():
            raise ValidationError({"code": _("A programme with this code already exists.")})
        variant = Programme(
            code=code,
            name=name.strip(),
            description=description.strip(),
            based_on=based_on,
            status=Programme.Status.ACTIVE,
            **{field: getattr(based_on, field) for field in Programme.RULE_FIELDS},
        )
        variant.full_clean()
        variant._history_user = created_by
        variant._change_reason = f"Local variant of {based_on.code}"
        variant.save()
    return variant
