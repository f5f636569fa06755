"""Signing in safely: lockout, password rules, idle sessions and cookie flags."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from people.lockout import client_address
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ELSEWHERE = "203.0.113.9"  # another computer


def sign_in(client, email: str, password: str, **extra: str):
    return client.post(reverse("people:login"), {"email": email, "password": password}, **extra)


def fail_times(client, email: str, times: int, **extra: str) -> None:
    for _ in range(times):
        sign_in(client, email, "not-the-password", **extra)


class TestLockout:
    def test_the_fifth_wrong_password_locks_the_account_from_that_address(self, client, worker):
        fail_times(client, worker.email, 4)
        assert sign_in(client, worker.email, "not-the-password").status_code == 429

        response = sign_in(client, worker.email, PASSWORD)  # even the right one, now

        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_the_locked_out_page_says_what_to_do(self, client, worker):
        fail_times(client, worker.email, 5)

        page = sign_in(client, worker.email, PASSWORD).content.decode()

        assert "You cannot sign in for now" in page
        assert (
            "Wait 30 minutes and try again, or ask your programme lead to unlock your account."
            in page
        )
        assert reverse("people:password-reset") in page

    def test_four_wrong_passwords_still_show_the_form_with_its_error(self, client, worker):
        fail_times(client, worker.email, 3)
        response = sign_in(client, worker.email, "not-the-password")
        assert response.status_code == 200
        assert "The email address or password is not right" in response.content.decode()

    def test_the_same_person_on_another_computer_can_still_sign_in(self, client, worker):
        fail_times(client, worker.email, 5)
        response = sign_in(client, worker.email, PASSWORD, REMOTE_ADDR=ELSEWHERE)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(worker.pk)

    def test_another_account_from_the_same_address_can_still_sign_in(
        self, client, worker, supervisor
    ):
        fail_times(client, worker.email, 5)
        assert sign_in(client, supervisor.email, PASSWORD).status_code == 302

    def test_the_email_counts_in_any_case(self, client, worker):
        for email in (worker.email.upper(), worker.email, worker.email.title()) * 2:
            sign_in(client, email, "not-the-password")
        assert sign_in(client, worker.email, PASSWORD).status_code == 429

    def test_signing_in_clears_the_count(self, client, worker):
        fail_times(client, worker.email, 4)
        assert sign_in(client, worker.email, PASSWORD).status_code == 302
        client.post(reverse("people:logout"))

        fail_times(client, worker.email, 4)

        assert sign_in(client, worker.email, PASSWORD).status_code == 302

    def test_a_lead_can_unlock_the_account_with_the_management_command(self, client, worker):
        fail_times(client, worker.email, 5)
        call_command("axes_reset_username", worker.email, stdout=StringIO())
        assert sign_in(client, worker.email, PASSWORD).status_code == 302

    def test_the_lockout_ends_thirty_minutes_after_the_last_failure(self, client, worker):
        fail_times(client, worker.email, 5)
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=29))
        assert sign_in(client, worker.email, PASSWORD).status_code == 429

        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))

        assert sign_in(client, worker.email, PASSWORD).status_code == 302


class TestClientAddress:
    @pytest.mark.parametrize(
        ("proxies", "forwarded", "address"),
        [
            pytest.param(0, "198.51.100.7", "10.0.0.1", id="no-proxy-ignores-the-header"),
            pytest.param(1, "198.51.100.7", "198.51.100.7", id="one-proxy"),
            pytest.param(1, "1.2.3.4, 198.51.100.7", "198.51.100.7", id="client-spoof-ignored"),
            pytest.param(2, "1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7", id="two-proxies"),
            pytest.param(2, "198.51.100.7", "198.51.100.7", id="fewer-hops-than-proxies"),
            pytest.param(1, "", "10.0.0.1", id="no-header"),
        ],
    )
    def test_the_address_is_read_through_the_trusted_proxies_only(
        self, settings, proxies, forwarded, address
    ):
        settings.LOCKOUT_PROXY_COUNT = proxies
        request = RequestFactory().post(
            "/accounts/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
        )
        assert client_address(request) == address

    def test_behind_a_proxy_each_person_is_counted_by_their_own_address(
        self, client, worker, settings
    ):
        settings.LOCKOUT_PROXY_COUNT = 1
        fail_times(client, worker.email, 5, HTTP_X_FORWARDED_FOR="198.51.100.7")
        response = sign_in(client, worker.email, PASSWORD, HTTP_X_FORWARDED_FOR=ELSEWHERE)
        assert response.status_code == 302


class TestPasswordRules:
    @pytest.fixture
    def person(self):
        return UserFactory.build(email="helen.carter@council.example", full_name="Helen Carter")

    @pytest.mark.parametrize(
        ("password", "says"),
        [
            pytest.param("Tr1cky-pass", "too short", id="under-12-characters"),
            pytest.param("password1234", "too common", id="common"),
            pytest.param("qwertyuiop123", "too common", id="common-keyboard-walk"),
            pytest.param("helen.carter@council", "too similar", id="like-the-email"),
            pytest.param("HelenCarter1", "too similar", id="like-the-name"),
            pytest.param("738205917364", "entirely numeric", id="only-numbers"),
        ],
    )
    def test_a_weak_password_is_refused(self, person, password, says):
        with pytest.raises(ValidationError) as refusal:
            validate_password(password, person)
        assert any(says in message for message in refusal.value.messages)

    def test_a_long_uncommon_password_is_accepted(self, person):
        assert validate_password(PASSWORD, person) is None


class TestIdleSessions:
    def test_a_session_lasts_thirty_idle_minutes_renewed_by_every_request(self):
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        assert settings.SESSION_SAVE_EVERY_REQUEST is True

    def test_each_request_pushes_the_end_of_the_session_back(self, client, worker):
        client.force_login(worker)
        session = Session.objects.get(session_key=client.session.session_key)
        session.expire_date = timezone.now() + timedelta(minutes=5)
        session.save()

        assert client.get(reverse("programmes:home")).status_code == 200

        session.refresh_from_db()
        remaining = session.expire_date - timezone.now()
        assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)

    def test_after_the_idle_time_the_next_page_asks_to_sign_in_again(self, client, worker):
        client.force_login(worker)
        session = Session.objects.get(session_key=client.session.session_key)
        session.expire_date = timezone.now() - timedelta(seconds=1)
        session.save()

        response = client.get(reverse("programmes:home"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("people:login"))


def _settings_in_a_fresh_interpreter(**environment: str) -> dict:
    probe = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'age': settings.SESSION_COOKIE_AGE, "
        "'secure': settings.SESSION_COOKIE_SECURE, 'csrf_secure': settings.CSRF_COOKIE_SECURE, "
        "'httponly': settings.SESSION_COOKIE_HTTPONLY, "
        "'samesite': settings.SESSION_COOKIE_SAMESITE, "
        "'csrf_samesite': settings.CSRF_COOKIE_SAMESITE, "
        "'failures': settings.AXES_FAILURE_LIMIT, "
        "'cool_off': settings.AXES_COOLOFF_TIME.total_seconds()}))"
    )
    kept = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECURE_COOKIES", "SESSION_IDLE_MINUTES"}
        and not key.startswith("LOCKOUT_")
    }
    env = {
        **kept,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ENV_FILE": "",
        "SECRET_KEY": "x" * 50,
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_idle_time_and_lockout_are_set_from_the_environment():
    seen = _settings_in_a_fresh_interpreter(
        SESSION_IDLE_MINUTES="45", LOCKOUT_FAILURES="3", LOCKOUT_MINUTES="10"
    )
    assert (seen["age"], seen["failures"], seen["cool_off"]) == (45 * 60, 3, 600)


def test_cookies_are_secure_http_only_and_same_site_when_debug_is_off():
    seen = _settings_in_a_fresh_interpreter()
    assert seen["secure"] is True and seen["csrf_secure"] is True
    assert seen["httponly"] is True
    assert (seen["samesite"], seen["csrf_samesite"]) == ("Lax", "Lax")


def test_under_debug_cookies_may_travel_over_plain_http():
    seen = _settings_in_a_fresh_interpreter(DEBUG="true")
    assert seen["secure"] is False and seen["httponly"] is True


@pytest.mark.parametrize("secure", [True, False])
def test_the_session_cookie_from_a_real_sign_in_carries_its_flags(client, worker, settings, secure):
    settings.SESSION_COOKIE_SECURE = secure

    response = sign_in(client, worker.email, PASSWORD)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert bool(cookie["secure"]) is secure
    assert cookie["max-age"] == 30 * 60
