"""The supervision API: the same scoping and services as the web, 400/403/404 never 500."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from supervision.models import SupervisionAction, SupervisionSession
from tests.factories import (
    EnrolmentFactory,
    SupervisionActionFactory,
    SupervisionAmendmentFactory,
    SupervisionSessionFactory,
)

pytestmark = pytest.mark.django_db

SESSIONS = reverse("api:supervision-session-list")
ACTIONS = reverse("api:supervision-action-list")


@pytest.fixture
def api():
    return APIClient()


def _session_url(session_id: int, action: str = "detail") -> str:
    return reverse(f"api:supervision-session-{action}", args=[session_id])


def _action_url(action_id: int, action: str = "detail") -> str:
    return reverse(f"api:supervision-action-{action}", args=[action_id])


def visible_ids(body: dict) -> set[int]:
    return {row["id"] for row in body["results"]}


def _new_session(enrolment, **extra):
    return {
        "enrolment": enrolment.pk,
        "held_on": timezone.localdate().isoformat(),
        "minutes": 90,
        "kind": "one-to-one",
        "agenda": "Caseload and first assessments",
        "notes": "Went through the two new allocations.",
        **extra,
    }


@pytest.fixture
def sessions(enrolment):
    """The enrolment's sessions at each stage, and another team's, signed and draft."""
    elsewhere = EnrolmentFactory()
    draft = SupervisionSession.Status.DRAFT
    return {
        "countersigned": SupervisionSessionFactory(enrolment=enrolment),
        "signed": SupervisionSessionFactory(
            enrolment=enrolment,
            status=SupervisionSession.Status.SIGNED,
            held_on=date(2026, 9, 28),
        ),
        "draft": SupervisionSessionFactory(
            enrolment=enrolment, status=draft, held_on=date(2026, 10, 12), supervisor_signed_at=None
        ),
        "elsewhere": SupervisionSessionFactory(enrolment=elsewhere),
        "elsewhere-draft": SupervisionSessionFactory(
            enrolment=elsewhere, status=draft, held_on=date(2026, 10, 12), supervisor_signed_at=None
        ),
    }


# --- Who sees what.


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        pytest.param("worker", {"countersigned", "signed"}, id="worker-own-signed-not-drafts"),
        pytest.param("supervisor", {"countersigned", "signed", "draft"}, id="supervisor-drafts"),
        pytest.param("assessor", {"countersigned", "signed"}, id="assessor-signed"),
        pytest.param("manager", {"countersigned", "signed"}, id="manager-their-team"),
        pytest.param("outsider", set(), id="outsider-nothing"),
        pytest.param(
            "lead",
            {"countersigned", "signed", "draft", "elsewhere", "elsewhere-draft"},
            id="lead-everything",
        ),
    ],
)
def test_the_session_list_shows_each_person_what_they_may_see(
    api, request, sessions, persona, visible
):
    api.force_authenticate(request.getfixturevalue(persona))
    body = api.get(SESSIONS).json()
    names = {name for name, session in sessions.items() if session.pk in visible_ids(body)}
    assert names == visible
    assert body["count"] == len(visible)


@pytest.mark.parametrize(
    ("persona", "session"),
    [("worker", "draft"), ("manager", "draft"), ("outsider", "countersigned")],
)
def test_a_session_the_caller_may_not_see_is_not_found(api, request, sessions, persona, session):
    api.force_authenticate(request.getfixturevalue(persona))
    assert api.get(_session_url(sessions[session].pk)).status_code == 404


def test_a_session_reads_with_its_people_actions_and_amendments(api, worker, supervisor):
    session = SupervisionSessionFactory(enrolment=worker.enrolments.get())
    SupervisionActionFactory(session=session)
    SupervisionAmendmentFactory(session=session)
    api.force_authenticate(worker)
    body = api.get(_session_url(session.pk)).json()
    assert body["worker"] == {"id": worker.pk, "full_name": worker.full_name}
    assert body["supervisor"] == {"id": supervisor.pk, "full_name": supervisor.full_name}
    assert body["status"] == "countersigned"
    assert body["actions"][0]["owner"] == {"id": worker.pk, "full_name": worker.full_name}
    assert body["actions"][0]["done_on"] is None
    assert body["amendments"][0]["amended_by"] == supervisor.full_name
    assert body["amendments"][0]["changes"] == {"length in minutes": ["60", "90"]}


# --- Recording a session: the same service as the web.


def test_a_supervisor_records_a_draft_through_the_service(api, supervisor, enrolment):
    api.force_authenticate(supervisor)
    response = api.post(SESSIONS, _new_session(enrolment), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert body["supervisor"]["id"] == supervisor.pk
    assert body["is_short"] is False
    assert body["counts_towards_cadence"] is True
    assert "same_day_confirmed" not in body
    assert SupervisionSession.history.get().history_user == supervisor


@pytest.mark.parametrize("persona", ["worker", "assessor", "manager"])
def test_only_the_supervisor_or_a_lead_may_record_a_session(api, request, enrolment, persona):
    api.force_authenticate(request.getfixturevalue(persona))
    response = api.post(SESSIONS, _new_session(enrolment), format="json")
    assert response.status_code == 403
    assert not SupervisionSession.objects.exists()


def test_an_enrolment_the_caller_cannot_see_is_refused_as_unknown(api, outsider, enrolment):
    api.force_authenticate(outsider)
    response = api.post(SESSIONS, _new_session(enrolment), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"enrolment"}
    assert not SupervisionSession.objects.exists()


def test_a_session_dated_tomorrow_is_a_400_naming_the_date(api, supervisor, enrolment):
    api.force_authenticate(supervisor)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = api.post(
        SESSIONS, _new_session(enrolment, held_on=tomorrow.isoformat()), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"held_on": ["The date must be today or in the past."]}
    assert not SupervisionSession.objects.exists()


def test_a_short_session_is_saved_but_marked_short_and_not_counted(api, supervisor, enrolment):
    api.force_authenticate(supervisor)
    response = api.post(SESSIONS, _new_session(enrolment, minutes=60), format="json")
    assert response.status_code == 201
    assert response.json()["is_short"] is True
    assert response.json()["counts_towards_cadence"] is False


def test_a_second_session_on_one_day_needs_confirming(api, supervisor, enrolment):
    SupervisionSessionFactory(enrolment=enrolment, held_on=timezone.localdate())
    api.force_authenticate(supervisor)
    refused = api.post(SESSIONS, _new_session(enrolment), format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["same_day_confirmed"]
    confirmed = api.post(SESSIONS, _new_session(enrolment, same_day_confirmed=True), format="json")
    assert confirmed.status_code == 201
    assert SupervisionSession.objects.count() == 2


def test_fields_the_caller_may_not_set_are_refused_not_ignored(api, supervisor, enrolment):
    api.force_authenticate(supervisor)
    body = _new_session(enrolment, status="countersigned", is_short=True)
    response = api.post(SESSIONS, body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "is_short": ["This field cannot be set here."],
        "status": ["This field cannot be set here."],
    }
    assert not SupervisionSession.objects.exists()


def test_a_nul_character_in_the_notes_is_a_400_not_a_500(api, supervisor, enrolment):
    api.force_authenticate(supervisor)
    response = api.post(SESSIONS, _new_session(enrolment, notes="a\x00b"), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"notes"}


# --- Draft, sign, countersign, then only an amendment changes it.


def test_a_draft_is_changed_signed_countersigned_then_only_amended(
    api, supervisor, worker, enrolment
):
    api.force_authenticate(supervisor)
    session_id = api.post(SESSIONS, _new_session(enrolment), format="json").json()["id"]
    changed = api.patch(_session_url(session_id), {"minutes": 75}, format="json")
    assert changed.status_code == 200
    assert changed.json()["minutes"] == 75
    assert changed.json()["agenda"] == "Caseload and first assessments"  # left out: kept
    signed = api.post(_session_url(session_id, "sign"))
    assert signed.status_code == 200
    assert signed.json()["status"] == "signed"
    assert signed.json()["supervisor_signed_at"] is not None

    api.force_authenticate(worker)
    url = _session_url(session_id, "countersign")
    countersigned = api.post(url, {"worker_reflection": "Useful on thresholds."}, format="json")
    assert countersigned.status_code == 200
    assert countersigned.json()["status"] == "countersigned"
    assert countersigned.json()["worker_reflection"] == "Useful on thresholds."

    api.force_authenticate(supervisor)
    refused = api.patch(_session_url(session_id), {"notes": "Rewritten"}, format="json")
    assert refused.status_code == 403
    amend = {"reason": "The length was entered wrongly.", "minutes": 95}
    amended = api.post(_session_url(session_id, "amend"), amend, format="json")
    assert amended.status_code == 200
    assert amended.json()["minutes"] == 95
    assert amended.json()["is_short"] is False
    [amendment] = amended.json()["amendments"]
    assert amendment["reason"] == "The length was entered wrongly."
    assert amendment["amended_by"] == supervisor.full_name
    assert amendment["changes"] == {"length in minutes": ["75", "95"]}


def test_a_draft_without_notes_cannot_be_signed(api, supervisor, enrolment):
    api.force_authenticate(supervisor)
    session_id = api.post(SESSIONS, _new_session(enrolment, notes=""), format="json").json()["id"]
    response = api.post(_session_url(session_id, "sign"))
    assert response.status_code == 400
    assert response.json() == {"notes": ["Write the discussion notes before you sign the record."]}
    assert SupervisionSession.objects.get().status == SupervisionSession.Status.DRAFT


def test_signing_takes_no_fields(api, supervisor, enrolment):
    session = SupervisionSessionFactory(enrolment=enrolment, status=SupervisionSession.Status.DRAFT)
    api.force_authenticate(supervisor)
    response = api.post(_session_url(session.pk, "sign"), {"notes": "x"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"notes": ["This field cannot be changed here."]}


@pytest.mark.parametrize("persona", ["supervisor", "manager", "lead"])
def test_only_the_worker_countersigns(api, request, enrolment, persona):
    session = SupervisionSessionFactory(
        enrolment=enrolment, status=SupervisionSession.Status.SIGNED
    )
    api.force_authenticate(request.getfixturevalue(persona))
    url = _session_url(session.pk, "countersign")
    response = api.post(url, {"worker_reflection": "Mine."}, format="json")
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == SupervisionSession.Status.SIGNED


def test_a_worker_cannot_change_a_draft_they_cannot_see(api, worker, enrolment):
    session = SupervisionSessionFactory(enrolment=enrolment, status=SupervisionSession.Status.DRAFT)
    api.force_authenticate(worker)
    assert api.patch(_session_url(session.pk), {"minutes": 60}, format="json").status_code == 404


def test_an_amendment_without_a_reason_is_a_400_and_changes_nothing(api, supervisor, enrolment):
    session = SupervisionSessionFactory(enrolment=enrolment)
    api.force_authenticate(supervisor)
    url = _session_url(session.pk, "amend")
    response = api.post(url, {"reason": " ", "minutes": 120}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["Say why the record needs correcting."]}
    session.refresh_from_db()
    assert session.minutes == 90
    assert not session.amendments.exists()


def test_the_worker_cannot_amend_their_record(api, worker, enrolment):
    session = SupervisionSessionFactory(enrolment=enrolment)
    api.force_authenticate(worker)
    url = _session_url(session.pk, "amend")
    response = api.post(url, {"reason": "Wrong length", "minutes": 120}, format="json")
    assert response.status_code == 403


def test_there_is_no_delete_and_no_put(api, supervisor, enrolment):
    session = SupervisionSessionFactory(enrolment=enrolment, status=SupervisionSession.Status.DRAFT)
    api.force_authenticate(supervisor)
    assert api.delete(_session_url(session.pk)).status_code == 405
    assert api.put(_session_url(session.pk), _new_session(enrolment)).status_code == 405
    assert SupervisionSession.objects.filter(pk=session.pk).exists()


# --- Agreed actions.


def test_an_action_is_agreed_in_a_draft_then_marked_done_by_the_worker(
    api, supervisor, worker, enrolment
):
    session = SupervisionSessionFactory(
        enrolment=enrolment, status=SupervisionSession.Status.DRAFT, held_on=date(2026, 10, 5)
    )
    api.force_authenticate(supervisor)
    body = {
        "session": session.pk,
        "description": "Shadow a child protection conference.",
        "owner": worker.pk,
        "due_on": "2026-11-02",
    }
    created = api.post(ACTIONS, body, format="json")
    assert created.status_code == 201
    assert created.json()["owner"] == {"id": worker.pk, "full_name": worker.full_name}
    assert created.json()["enrolment"] == enrolment.pk
    assert api.post(_session_url(session.pk, "sign")).status_code == 200

    api.force_authenticate(worker)
    done = api.post(_action_url(created.json()["id"], "complete"), {}, format="json")
    assert done.status_code == 200
    assert done.json()["done_on"] == timezone.localdate().isoformat()
    assert done.json()["done_by"] == {"id": worker.pk, "full_name": worker.full_name}


def test_an_action_cannot_be_added_to_a_signed_session(api, supervisor, worker, enrolment):
    session = SupervisionSessionFactory(enrolment=enrolment)
    api.force_authenticate(supervisor)
    body = {
        "session": session.pk,
        "description": "Late.",
        "owner": worker.pk,
        "due_on": "2026-12-01",
    }
    assert api.post(ACTIONS, body, format="json").status_code == 403
    assert not SupervisionAction.objects.exists()


def test_an_action_for_someone_outside_the_session_is_a_400(api, supervisor, enrolment):
    session = SupervisionSessionFactory(
        enrolment=enrolment, status=SupervisionSession.Status.DRAFT, held_on=date(2026, 10, 5)
    )
    another_supervisee = EnrolmentFactory(supervisor=supervisor)
    SupervisionSessionFactory(enrolment=another_supervisee)  # so the supervisor may name them
    api.force_authenticate(supervisor)
    body = {
        "session": session.pk,
        "description": "Book the safeguarding course.",
        "owner": another_supervisee.worker_id,
        "due_on": "2026-11-02",
    }
    response = api.post(ACTIONS, body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "owner": ["Choose the worker, the supervisor or the worker's manager."]
    }


def test_a_completion_date_in_the_future_is_a_400(api, worker, enrolment):
    action = SupervisionActionFactory(session=SupervisionSessionFactory(enrolment=enrolment))
    api.force_authenticate(worker)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api.post(_action_url(action.pk, "complete"), {"done_on": tomorrow}, format="json")
    assert response.status_code == 400
    assert response.json() == {"done_on": ["The date must be today or in the past."]}


def test_the_open_filter_lists_only_actions_not_yet_done(api, worker, enrolment):
    session = SupervisionSessionFactory(enrolment=enrolment)
    still_open = SupervisionActionFactory(session=session)
    done = SupervisionActionFactory(session=session, done_on=date(2026, 9, 20), done_by=worker)
    api.force_authenticate(worker)
    assert visible_ids(api.get(ACTIONS).json()) == {still_open.pk, done.pk}
    assert visible_ids(api.get(ACTIONS, {"open": "true"}).json()) == {still_open.pk}
    assert visible_ids(api.get(ACTIONS, {"open": "false"}).json()) == {done.pk}
    refused = api.get(ACTIONS, {"open": "maybe"})
    assert refused.status_code == 400
    assert set(refused.json()) == {"open"}


def test_actions_are_seen_with_their_session(api, worker, outsider, enrolment):
    visible = SupervisionActionFactory(session=SupervisionSessionFactory(enrolment=enrolment))
    draft = SupervisionSessionFactory(enrolment=enrolment, status=SupervisionSession.Status.DRAFT)
    hidden = SupervisionActionFactory(session=draft)
    api.force_authenticate(worker)
    assert visible_ids(api.get(ACTIONS).json()) == {visible.pk}
    assert api.get(_action_url(hidden.pk)).status_code == 404
    api.force_authenticate(outsider)
    assert api.get(_action_url(visible.pk)).status_code == 404
    assert api.get(ACTIONS).json()["count"] == 0


# --- Authentication, query bounds, schema.


def test_a_token_authenticates_and_no_token_is_refused(api, worker, sessions):
    assert api.get(SESSIONS).status_code == 401
    assert api.get(ACTIONS).status_code == 401
    token = Token.objects.create(user=worker)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(SESSIONS).json()["count"] == 2


def test_the_session_list_query_count_is_flat(
    api, supervisor, enrolment, django_assert_max_num_queries
):
    def add_sessions(count: int) -> None:
        for _number in range(count):
            session = SupervisionSessionFactory(enrolment=enrolment)
            SupervisionActionFactory(session=session)
            SupervisionAmendmentFactory(session=session)

    api.force_authenticate(supervisor)
    add_sessions(3)
    # roles, count, sessions with enrolment, worker and supervisor, actions with their people,
    # amendments with who made them
    with django_assert_max_num_queries(5):
        assert api.get(SESSIONS).json()["count"] == 3
    add_sessions(30)
    with django_assert_max_num_queries(5):
        assert api.get(SESSIONS).json()["count"] == 33


def test_the_action_list_query_count_is_flat(api, worker, enrolment, django_assert_max_num_queries):
    session = SupervisionSessionFactory(enrolment=enrolment)
    api.force_authenticate(worker)
    SupervisionActionFactory.create_batch(3, session=session)
    # roles, count, actions with their session and people
    with django_assert_max_num_queries(3):
        assert api.get(ACTIONS).json()["count"] == 3
    SupervisionActionFactory.create_batch(
        30, session=session, done_on=date(2026, 9, 20), done_by=worker
    )
    with django_assert_max_num_queries(3):
        assert api.get(ACTIONS).json()["count"] == 33


def test_the_schema_describes_both_resources_and_their_actions(api, worker):
    api.force_authenticate(worker)
    schema = api.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/supervision-sessions/"])
    assert {"get", "patch"} == set(paths["/api/v1/supervision-sessions/{id}/"])
    for step in ("sign", "countersign", "amend"):
        assert "post" in paths[f"/api/v1/supervision-sessions/{{id}}/{step}/"]
    assert {"get", "post"} <= set(paths["/api/v1/supervision-actions/"])
    assert "post" in paths["/api/v1/supervision-actions/{id}/complete/"]
    countersign = paths["/api/v1/supervision-sessions/{id}/countersign/"]["post"]
    body = countersign["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/CountersignRequest")
    sign = paths["/api/v1/supervision-sessions/{id}/sign/"]["post"]["responses"]
    assert sorted(sign) == ["200", "400", "401", "403", "404"]
    refused = sign["400"]["content"]["application/json"]["schema"]["$ref"]
    assert refused.rsplit("/", 1)[1] in schema["components"]["schemas"]
