"""Single sign-on (OpenID Connect): matching by email, creating only when asked, the routes.

Only the identity provider is pretended: its token, keys and user-info answers.
"""

import importlib
import time
from unittest import mock
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import SuspiciousOperation
from django.urls import NoReverseMatch, clear_url_caches, reverse

import config.urls
import people.oidc_urls
from people.models import TwoFactorDevice, User
from people.oidc import CouncilAccountBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IDP = "https://login.council.example/tenant"
CLIENT_ID = "footing-client"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KEY_ID = "test-key"


@pytest.fixture
def oidc(settings):
    """The settings OIDC_* environment variables give, and the /oidc/ routes they install."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{IDP}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{IDP}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{IDP}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{IDP}/keys"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_USE_PKCE = True
    settings.OIDC_TIMEOUT = 10
    settings.LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
    settings.OIDC_CREATE_USER = False
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, settings.OIDC_BACKEND]
    _reload_routes()
    yield settings
    settings.OIDC_ENABLED = False
    _reload_routes()


def _reload_routes() -> None:
    """Build the URLconf again, as a start with these settings would."""
    importlib.reload(people.oidc_urls)
    importlib.reload(config.urls)  # its resolver for /oidc/ keeps the old routes otherwise
    clear_url_caches()


def claims(email: str, **more: str) -> dict:
    return {"sub": "entra-object-id", "email": email, **more}


def backend_seeing(userinfo: dict) -> CouncilAccountBackend:
    """The backend, with the identity provider's user-info answer pretended."""
    backend = CouncilAccountBackend()
    backend.get_userinfo = mock.Mock(return_value=userinfo)
    return backend


class TestMatching:
    def test_a_person_is_matched_by_email_in_any_case(self, oidc):
        person = UserFactory(email="helen.carter@council.example")
        found = backend_seeing(claims("Helen.Carter@COUNCIL.example")).get_or_create_user(
            "access", "id", {}
        )
        assert found == person

    def test_nobody_is_created_unless_the_council_asks(self, oidc):
        found = backend_seeing(claims("new.person@council.example")).get_or_create_user(
            "access", "id", {}
        )
        assert found is None
        assert not User.objects.filter(email="new.person@council.example").exists()

    def test_when_asked_a_new_person_is_created_with_their_name_and_no_roles(self, oidc):
        oidc.OIDC_CREATE_USER = True
        userinfo = claims("New.Person@council.example", name="New Person")

        person = backend_seeing(userinfo).get_or_create_user("access", "id", {})

        assert (person.email, person.full_name) == ("new.person@council.example", "New Person")
        assert person.roles == frozenset()
        assert not person.has_usable_password()

    @pytest.mark.parametrize(
        ("userinfo", "full_name"),
        [
            (claims("a.b@council.example", given_name="Ana", family_name="Bell"), "Ana Bell"),
            (claims("a.b@council.example"), "a.b"),
        ],
    )
    def test_without_a_name_claim_the_name_comes_from_what_there_is(
        self, oidc, userinfo, full_name
    ):
        oidc.OIDC_CREATE_USER = True
        assert backend_seeing(userinfo).get_or_create_user("a", "i", {}).full_name == full_name

    def test_an_inactive_person_is_refused(self, oidc):
        UserFactory(email="left@council.example", is_active=False)
        found = backend_seeing(claims("left@council.example")).get_or_create_user("a", "i", {})
        assert found is None

    def test_an_identity_without_an_email_is_refused(self, oidc):
        with pytest.raises(SuspiciousOperation):
            backend_seeing({"sub": "no-email"}).get_or_create_user("a", "i", {})

    def test_no_claim_matches_nobody(self, oidc):
        UserFactory(email="someone@council.example")
        assert not CouncilAccountBackend().filter_users_by_claims({"email": ""}).exists()


class TestRoutes:
    def test_without_a_client_id_there_are_no_routes_and_no_button(self, client):
        with pytest.raises(NoReverseMatch):
            reverse("oidc_authentication_init")
        assert client.get("/oidc/authenticate/").status_code == 404
        page = client.get(reverse("people:login")).content.decode()
        assert "council account" not in page

    def test_with_a_client_id_the_sign_in_page_offers_the_council_account(self, client, oidc):
        page = client.get(reverse("people:login")).content.decode()
        assert "Sign in with your council account" in page
        assert reverse("oidc_authentication_init") == "/oidc/authenticate/"
        assert reverse("oidc_authentication_init") in page

    def test_the_sign_in_routes_are_public(self, client, oidc):
        response = client.get(reverse("oidc_authentication_init"))
        assert response.status_code == 302
        assert response["Location"].startswith(f"{IDP}/authorize?")


class FakeIdentityProvider:
    """Answers the three calls the backend makes: token, keys, user info."""

    def __init__(self, userinfo: dict) -> None:
        self.userinfo = userinfo
        self.nonce = ""

    def post(self, url: str, **kwargs: object) -> mock.Mock:
        assert url == f"{IDP}/token"
        now = int(time.time())
        id_token = jwt.encode(
            {
                "iss": IDP,
                "aud": CLIENT_ID,
                "sub": "entra-object-id",
                "nonce": self.nonce,
                "iat": now,
                "exp": now + 300,
            },
            KEY,
            algorithm="RS256",
            headers={"kid": KEY_ID},
        )
        return self._answer({"id_token": id_token, "access_token": "access-token"})

    def get(self, url: str, **kwargs: object) -> mock.Mock:
        if url == f"{IDP}/keys":
            public = jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key(), as_dict=True)
            return self._answer({"keys": [{**public, "kid": KEY_ID, "alg": "RS256"}]})
        assert url == f"{IDP}/userinfo"
        return self._answer(self.userinfo)

    @staticmethod
    def _answer(body: dict) -> mock.Mock:
        response = mock.Mock(status_code=200, headers={"content-type": "application/json"})
        response.json.return_value = body
        return response


def sign_in_with_council_account(client, userinfo: dict, next_url: str = ""):
    start = reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else "")
    to_provider = parse_qs(urlparse(client.get(start)["Location"]).query)
    provider = FakeIdentityProvider(userinfo)
    provider.nonce = to_provider["nonce"][0]
    with mock.patch("mozilla_django_oidc.auth.requests", provider):
        return client.get(
            reverse("oidc_authentication_callback"),
            {"code": "authorisation-code", "state": to_provider["state"][0]},
        )


class TestSigningIn:
    def test_a_known_person_is_signed_in_and_goes_on(self, client, oidc, worker):
        response = sign_in_with_council_account(
            client, claims(worker.email.upper()), next_url="/programmes/"
        )
        assert response["Location"] == "/programmes/"
        assert client.session["_auth_user_id"] == str(worker.pk)
        assert client.session[BACKEND_SESSION_KEY] == "people.oidc.CouncilAccountBackend"

    def test_the_council_account_skips_the_local_code(self, client, oidc, worker):
        TwoFactorDevice.objects.create(user=worker, secret="JBSWY3DPEHPK3PXP")
        sign_in_with_council_account(client, claims(worker.email))
        assert client.session["_auth_user_id"] == str(worker.pk)

    def test_a_required_lead_is_not_sent_to_set_up_an_app(self, client, oidc, lead):
        oidc.REQUIRE_2FA = True
        sign_in_with_council_account(client, claims(lead.email))
        assert client.get(reverse("programmes:home")).status_code == 200

    def test_an_unknown_person_is_told_what_to_do(self, client, oidc):
        response = sign_in_with_council_account(client, claims("stranger@council.example"))
        assert response["Location"] == "/accounts/login/?sso=failed"
        page = client.get(response["Location"]).content.decode()
        assert "Ask your programme lead to check Footing has an account" in page
        assert "_auth_user_id" not in client.session


def test_an_identity_provider_that_fails_sends_the_person_back_to_sign_in(client, oidc):
    to_provider = parse_qs(
        urlparse(client.get(reverse("oidc_authentication_init"))["Location"]).query
    )
    broken = mock.Mock()
    broken.post.side_effect = requests.ConnectionError("no route to host")
    with mock.patch("mozilla_django_oidc.auth.requests.post", broken.post):
        response = client.get(
            reverse("oidc_authentication_callback"),
            {"code": "authorisation-code", "state": to_provider["state"][0]},
        )
    assert response["Location"] == "/accounts/login/?sso=failed"
