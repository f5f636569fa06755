"""Two-step verification: the code rules, setting it up, signing in with it, turning it off."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from people import totp
from people.models import TwoFactorDevice
from people.services import set_up_two_factor, turn_off_two_factor, use_two_factor_code
from tests.factories import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
AT = datetime(2026, 11, 23, 9, 0, 15, tzinfo=UTC)
STEP = totp.step_at(AT)


def code_at(step: int) -> str:
    return totp.code_for_step(SECRET, step)


def current_code(secret: str) -> str:
    return totp.code_for_step(secret, totp.step_at(timezone.now()))


class TestCodeRules:
    @pytest.mark.parametrize(
        ("code", "last_used_step", "matched"),
        [
            pytest.param(code_at(STEP), 0, STEP, id="this-step"),
            pytest.param(code_at(STEP - 1), 0, STEP - 1, id="phone-30s-slow"),
            pytest.param(code_at(STEP + 1), 0, STEP + 1, id="phone-30s-fast"),
            pytest.param(code_at(STEP - 2), 0, None, id="a-minute-old-refused"),
            pytest.param(code_at(STEP + 2), 0, None, id="a-minute-ahead-refused"),
            pytest.param(code_at(STEP), STEP, None, id="used-already-refused"),
            pytest.param(code_at(STEP - 1), STEP, None, id="older-than-last-used-refused"),
            pytest.param(code_at(STEP + 1), STEP, STEP + 1, id="next-step-after-use"),
            pytest.param("12345", 0, None, id="five-digits"),
            pytest.param("abcdef", 0, None, id="letters"),
        ],
    )
    def test_a_code_matches_one_step_either_side_and_never_twice(
        self, code, last_used_step, matched
    ):
        found = totp.matching_step(secret=SECRET, code=code, at=AT, last_used_step=last_used_step)
        assert found == matched

    def test_a_used_code_is_told_apart_from_a_wrong_one(self):
        assert totp.was_used_already(secret=SECRET, code=code_at(STEP), at=AT, last_used_step=STEP)
        assert not totp.was_used_already(secret=SECRET, code="000000", at=AT, last_used_step=STEP)

    @pytest.mark.parametrize(
        ("typed", "code"), [("123 456", "123456"), ("123-456", "123456"), (" 123456 ", "123456")]
    )
    def test_spaces_and_dashes_typed_in_a_code_are_ignored(self, typed, code):
        assert totp.normalise_code(typed) == code

    def test_the_qr_code_is_svg_with_no_inline_style_or_script(self):
        svg = totp.qr_code_svg(totp.provisioning_uri(secret=SECRET, account="a@b.c"), title="QR")
        assert svg.startswith('<svg role="img" ')
        assert "<title>QR</title>" in svg
        assert "style" not in svg and "<script" not in svg

    def test_the_app_is_told_the_issuer_and_the_account(self):
        uri = totp.provisioning_uri(secret=SECRET, account="helen@council.example")
        assert uri.startswith("otpauth://totp/Footing:helen%40council.example?")
        assert f"secret={SECRET}" in uri and "issuer=Footing" in uri


@pytest.mark.django_db
class TestServices:
    def test_setting_up_keeps_the_secret_once_a_code_proves_the_app(self, worker):
        device = set_up_two_factor(user=worker, secret=SECRET, code=current_code(SECRET))
        assert device.user == worker and device.secret == SECRET
        assert device.last_used_step >= totp.step_at(timezone.now()) - 1

    def test_a_wrong_code_at_set_up_saves_nothing(self, worker):
        with pytest.raises(ValidationError) as refusal:
            set_up_two_factor(user=worker, secret=SECRET, code="000000")
        assert "The code is not right" in refusal.value.message_dict["code"][0]
        assert not TwoFactorDevice.objects.exists()

    def test_the_code_used_to_set_up_cannot_be_used_to_sign_in(self, worker):
        code = current_code(SECRET)
        set_up_two_factor(user=worker, secret=SECRET, code=code)
        with pytest.raises(ValidationError) as refusal:
            use_two_factor_code(user=worker, code=code)
        assert "used already" in refusal.value.message_dict["code"][0]

    def test_turning_off_needs_a_right_code(self, worker):
        TwoFactorDevice.objects.create(user=worker, secret=SECRET)
        with pytest.raises(ValidationError):
            turn_off_two_factor(user=worker, code="000000")
        assert TwoFactorDevice.objects.filter(user=worker).exists()

        turn_off_two_factor(user=worker, code=current_code(SECRET))

        assert not TwoFactorDevice.objects.filter(user=worker).exists()

    def test_only_its_owner_sees_a_device(self, worker, lead):
        TwoFactorDevice.objects.create(user=worker, secret=SECRET)
        assert TwoFactorDevice.objects.visible_to(worker).count() == 1
        assert not TwoFactorDevice.objects.visible_to(lead).exists()


def sign_in(client, email: str, password: str = PASSWORD, **extra: str):
    data = {"email": email, "password": password}
    return client.post(reverse("people:login"), data, **extra)


def enter_code(client, code: str):
    return client.post(reverse("people:two-factor-verify"), {"code": code})


@pytest.fixture
def worker_with_app(worker):
    # Last used a while ago: the current code is still unused.
    step = totp.step_at(timezone.now()) - 10
    TwoFactorDevice.objects.create(user=worker, secret=SECRET, last_used_step=step)
    return worker


@pytest.mark.django_db
class TestSetUpPages:
    def test_the_page_shows_a_qr_code_and_the_key_to_type(self, client, worker):
        client.force_login(worker)
        response = client.get(reverse("people:two-factor-setup"))
        page = response.content.decode()
        assert response.status_code == 200
        assert '<svg role="img"' in page
        secret = client.session["people.two_factor_setup_key"]
        assert totp.grouped(secret) in page
        assert "no-store" in response["Cache-Control"]

    def test_reloading_the_page_keeps_the_same_secret(self, client, worker):
        client.force_login(worker)
        client.get(reverse("people:two-factor-setup"))
        first = client.session["people.two_factor_setup_key"]
        client.get(reverse("people:two-factor-setup"))
        assert client.session["people.two_factor_setup_key"] == first

    def test_a_right_code_turns_it_on(self, client, worker):
        client.force_login(worker)
        client.get(reverse("people:two-factor-setup"))
        secret = client.session["people.two_factor_setup_key"]

        response = client.post(reverse("people:two-factor-setup"), {"code": current_code(secret)})

        assert response.status_code == 302
        assert response["Location"] == reverse("people:two-factor")
        assert TwoFactorDevice.objects.get(user=worker).secret == secret
        assert "people.two_factor_setup_key" not in client.session
        follow = client.get(response["Location"]).content.decode()
        assert "Two-step verification is on." in follow

    @pytest.mark.parametrize(
        ("code", "message"),
        [
            ("", "Enter the 6-digit code from your authenticator app"),
            ("12ab56", "Enter the code as 6 digits, like 123456"),
            ("000000", "The code is not right."),
        ],
    )
    def test_a_wrong_code_shows_what_to_do(self, client, worker, code, message):
        client.force_login(worker)
        response = client.post(reverse("people:two-factor-setup"), {"code": code})
        page = response.content.decode()
        assert response.status_code == 200
        assert message in page and "govuk-error-summary" in page
        assert "<title>Error:" in page
        assert not TwoFactorDevice.objects.exists()

    def test_someone_with_an_app_is_sent_to_the_overview(self, client, worker_with_app):
        client.force_login(worker_with_app)
        response = client.get(reverse("people:two-factor-setup"))
        assert response["Location"] == reverse("people:two-factor")


@pytest.mark.django_db
class TestSigningInWithACode:
    def test_the_password_alone_does_not_sign_in(self, client, worker_with_app):
        response = sign_in(client, worker_with_app.email)
        assert response["Location"] == reverse("people:two-factor-verify")
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("programmes:home")).status_code == 302

    def test_the_right_code_signs_in_and_goes_on_to_the_page_asked_for(
        self, client, worker_with_app
    ):
        programmes = reverse("programmes:programme-list")
        client.post(
            f"{reverse('people:login')}?next={programmes}",
            {"email": worker_with_app.email, "password": PASSWORD, "next": programmes},
        )

        response = enter_code(client, current_code(SECRET))

        assert response["Location"] == programmes
        assert client.session["_auth_user_id"] == str(worker_with_app.pk)
        assert "people.pending_sign_in" not in client.session

    def test_a_wrong_code_is_refused_with_what_to_do(self, client, worker_with_app):
        sign_in(client, worker_with_app.email)
        response = enter_code(client, "000000")
        assert response.status_code == 200
        assert "The code is not right" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_a_code_used_once_is_refused_the_second_time(self, client, worker_with_app):
        code = current_code(SECRET)
        sign_in(client, worker_with_app.email)
        enter_code(client, code)
        client.post(reverse("people:logout"))

        sign_in(client, worker_with_app.email)
        response = enter_code(client, code)

        assert "That code has been used already" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_the_code_page_without_a_password_first_goes_to_sign_in(self, client, worker):
        response = client.get(reverse("people:two-factor-verify"))
        assert response["Location"] == reverse("people:login")

    def test_a_pending_sign_in_runs_out_after_ten_minutes(self, client, worker_with_app):
        sign_in(client, worker_with_app.email)
        session = client.session
        session["people.pending_sign_in"]["started_at_seconds"] -= 11 * 60
        session.save()

        response = enter_code(client, current_code(SECRET))

        assert "The time to enter a code ran out" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_wrong_codes_count_towards_the_lockout(self, client, worker_with_app):
        sign_in(client, worker_with_app.email, "not-the-password")
        sign_in(client, worker_with_app.email, "not-the-password")
        sign_in(client, worker_with_app.email)
        enter_code(client, "000000")
        enter_code(client, "111111")

        response = enter_code(client, "222222")  # the fifth failure of either kind

        assert response.status_code == 429
        assert "ask your programme lead to unlock your account" in response.content.decode()
        assert "people.pending_sign_in" not in client.session
        assert sign_in(client, worker_with_app.email).status_code == 429

    def test_five_wrong_codes_end_the_sign_in_even_from_changing_addresses(
        self, client, worker_with_app
    ):
        sign_in(client, worker_with_app.email)
        for number in range(4):
            enter_code_from = client.post(
                reverse("people:two-factor-verify"),
                {"code": "000000"},
                REMOTE_ADDR=f"198.51.100.{number}",
            )
            assert enter_code_from.status_code == 200
        response = client.post(
            reverse("people:two-factor-verify"), {"code": "000000"}, REMOTE_ADDR="198.51.100.9"
        )
        assert "You entered too many wrong codes" in response.content.decode()
        assert "people.pending_sign_in" not in client.session

    def test_a_locked_account_is_refused_before_its_code_is_checked(self, client, worker_with_app):
        sign_in(client, worker_with_app.email)
        other_tab = client.__class__()
        for _ in range(5):
            sign_in(other_tab, worker_with_app.email, "not-the-password")

        response = enter_code(client, current_code(SECRET))

        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
        assert "people.pending_sign_in" not in client.session


@pytest.mark.django_db
class TestTurningOff:
    def test_a_right_code_turns_it_off(self, client, worker_with_app):
        client.force_login(worker_with_app)
        response = client.post(
            reverse("people:two-factor-turn-off"), {"code": current_code(SECRET)}
        )
        assert response["Location"] == reverse("people:two-factor")
        assert not TwoFactorDevice.objects.exists()

    def test_a_wrong_code_keeps_it_on(self, client, worker_with_app):
        client.force_login(worker_with_app)
        response = client.post(reverse("people:two-factor-turn-off"), {"code": "000000"})
        assert response.status_code == 200
        assert "The code is not right" in response.content.decode()
        assert TwoFactorDevice.objects.exists()

    def test_five_wrong_codes_sign_the_person_out(self, client, worker_with_app):
        client.force_login(worker_with_app)
        for _ in range(5):
            response = client.post(reverse("people:two-factor-turn-off"), {"code": "000000"})
        assert "you have been signed out" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert TwoFactorDevice.objects.exists()


@pytest.mark.django_db
class TestRequired:
    @pytest.fixture(autouse=True)
    def _required(self, settings):
        settings.REQUIRE_2FA = True

    @pytest.mark.parametrize("persona", ["lead", "manager"])
    def test_a_lead_or_manager_without_an_app_is_sent_to_set_one_up(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))
        url = reverse("programmes:programme-list")

        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"] == f"{reverse('people:two-factor-setup')}?next=%2Fprogrammes%2F"
        page = client.get(response["Location"]).content.decode()
        assert "Programme leads and managers must use two-step verification" in page

    @pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor"])
    def test_other_roles_are_not_asked(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(reverse("programmes:home")).status_code == 200

    def test_a_lead_with_an_app_carries_on(self, client, lead):
        TwoFactorDevice.objects.create(user=lead, secret=SECRET)
        client.force_login(lead)
        assert client.get(reverse("programmes:home")).status_code == 200

    @pytest.mark.parametrize(
        "route", ["people:logout", "people:two-factor-setup", "healthz", "api:api-root"]
    )
    def test_signing_out_set_up_health_and_the_api_still_work(self, client, lead, route):
        client.force_login(lead)
        method = client.post if route == "people:logout" else client.get
        response = method(reverse(route))
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("people:two-factor-setup"))

    def test_after_setting_up_the_lead_goes_on_to_the_page_they_asked_for(self, client, lead):
        client.force_login(lead)
        setup = client.get(reverse("programmes:programme-list"))["Location"]
        client.get(setup)
        secret = client.session["people.two_factor_setup_key"]

        response = client.post(setup, {"code": current_code(secret), "next": "/programmes/"})

        assert response["Location"] == "/programmes/"
        assert client.get("/programmes/").status_code == 200

    def test_when_not_required_nobody_is_sent_to_set_up(self, client, lead, settings):
        settings.REQUIRE_2FA = False
        client.force_login(lead)
        assert client.get(reverse("programmes:home")).status_code == 200


@pytest.mark.django_db
def test_the_admin_sign_in_goes_through_ours_so_the_code_is_always_asked(client, lead):
    response = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert response["Location"] == f"{reverse('people:login')}?next=/admin/"

    client.post(reverse("admin:login"), {"username": lead.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
