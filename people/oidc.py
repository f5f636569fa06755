"""Single sign-on with the council's identity provider (OpenID Connect, e.g. Microsoft Entra ID).

Installed only when OIDC_RP_CLIENT_ID is set. A person is matched by email address, in any
case; nobody is created unless OIDC_CREATE_USERS is set, and then with no roles: a
programme lead still decides what each person may do.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from people.models import User
from people.services import find_or_create_person

logger = logging.getLogger(__name__)


class CouncilAccountBackend(OIDCAuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **kwargs: object) -> User | None:
        """As the library does; an identity provider that fails to answer is a failed sign-in.

        The person then sees the sign-in page saying what to do, not an error page.
        """
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException:
            logger.exception("Single sign-on: the identity provider did not answer")
            return None

    def filter_users_by_claims(self, claims: dict) -> QuerySet[User]:
        """Everyone whose email is the identity provider's `email` claim, in any case."""
        email = (claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email)

    def verify_claims(self, claims: dict) -> bool:
        """Only an identity with an email address can be matched to a person."""
        return bool((claims.get("email") or "").strip())

    def create_user(self, claims: dict) -> User | None:
        """A new person, no roles, no password; only when the council has chosen this."""
        # The library creates by default; here only an explicit setting does.
        if not settings.OIDC_CREATE_USER:
            return None
        email = claims["email"].strip()
        try:
            person, _created = find_or_create_person(email=email, full_name=_full_name(claims))
        except ValidationError:
            logger.warning("Single sign-on could not create a person from the claims given")
            return None
        logger.info("Single sign-on created person %s", person.pk)
        return person

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> User | None:
        """The matching person, unless their account has been closed here."""
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None and not user.is_active:
            logger.info("Single sign-on refused for inactive person %s", user.pk)
            return None
        return user


def _full_name(claims: dict) -> str:
    """The `name` claim; else given and family names; else the email's local part."""
    name = (claims.get("name") or "").strip()
    if not name:
        parts = (claims.get("given_name") or "", claims.get("family_name") or "")
        name = " ".join(part.strip() for part in parts if part.strip())
    return name or claims["email"].split("@", 1)[0]
