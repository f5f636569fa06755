"""The caseload API: figures in bulk, all or nothing and idempotent; breaches as on the web."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programmes.models import CaseloadBreach, CaseloadSnapshot, Enrolment
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

SNAPSHOTS = reverse("api:caseload-snapshot-list")
BREACHES = reverse("api:caseload-breach-list")
PERSONAS = ("worker", "supervisor", "assessor", "manager", "lead", "outsider")


@pytest.fixture
def api():
    return APIClient()


def _snapshot(enrolment, as_of=date(2026, 10, 5), open_cases=8, **extra):
    return CaseloadSnapshot.objects.create(
        enrolment=enrolment,
        as_of=as_of,
        open_cases=open_cases,
        source=CaseloadSnapshot.Source.MANUAL,
        **extra,
    )


def _breach(enrolment, **extra):
    values = {
        "detected_on": date(2026, 10, 6),
        "snapshot_on": date(2026, 10, 5),
        "open_cases": 12,
        "cap": 9,
        "child_protection_cases": 0,
        "child_protection_cap": 0,
        "limits": ["open-cases"],
        **extra,
    }
    return CaseloadBreach.objects.create(enrolment=enrolment, **values)


def _figure(person, as_of="2026-10-05", open_cases=8, **extra):
    return {"worker": person.email, "as_of": as_of, "open_cases": open_cases, **extra}


def _post(api, figures):
    return api.post(SNAPSHOTS, figures, format="json")


def _ids(response) -> set[int]:
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


# --- Reading: who sees which figures and which breaches.


@pytest.mark.parametrize(
    ("persona", "sees_them"),
    [
        ("worker", True),
        ("supervisor", True),
        ("assessor", True),
        ("manager", True),
        ("lead", True),
        ("outsider", False),
    ],
)
def test_figures_are_seen_with_their_enrolment(api, request, enrolment, persona, sees_them):
    ours = _snapshot(enrolment)
    elsewhere = _snapshot(EnrolmentFactory())
    person = request.getfixturevalue(persona)
    api.force_authenticate(person)
    seen = _ids(api.get(SNAPSHOTS))
    assert (ours.pk in seen) is sees_them
    detail = api.get(reverse("api:caseload-snapshot-detail", args=[ours.pk]))
    assert detail.status_code == (200 if sees_them else 404)
    assert (elsewhere.pk in seen) is (persona == "lead")


def test_a_figure_reads_with_its_worker_and_who_recorded_it(api, lead, enrolment, supervisor):
    snapshot = _snapshot(enrolment, child_protection_cases=1, recorded_by=supervisor)
    api.force_authenticate(lead)
    body = api.get(reverse("api:caseload-snapshot-detail", args=[snapshot.pk])).json()
    assert body["enrolment"] == enrolment.pk
    assert body["worker"]["email"] == enrolment.worker.email
    assert body["recorded_by"]["id"] == supervisor.pk
    assert (body["as_of"], body["open_cases"], body["child_protection_cases"]) == (
        "2026-10-05",
        8,
        1,
    )
    assert (body["complex_cases"], body["weighted_complexity"], body["source"]) == (
        None,
        None,
        "manual",
    )


def test_figures_filter_by_enrolment_and_a_bad_filter_is_a_400(api, lead, enrolment):
    ours = _snapshot(enrolment)
    other = EnrolmentFactory()
    _snapshot(other)
    api.force_authenticate(lead)
    assert _ids(api.get(SNAPSHOTS, {"enrolment": enrolment.pk})) == {ours.pk}
    assert api.get(SNAPSHOTS).json()["count"] == 2
    assert api.get(SNAPSHOTS, {"enrolment": "x"}).status_code == 400
    assert api.get(SNAPSHOTS, {"enrolment": str(2**70)}).status_code == 400


def test_figures_are_listed_latest_first(api, lead, enrolment):
    older = _snapshot(enrolment, as_of=date(2026, 10, 5))
    newer = _snapshot(enrolment, as_of=date(2026, 10, 12))
    api.force_authenticate(lead)
    rows = api.get(SNAPSHOTS).json()["results"]
    assert [row["id"] for row in rows] == [newer.pk, older.pk]


@pytest.mark.parametrize(
    ("persona", "sees_it"),
    [
        # As on the web's breach list (breaches_for): the manager owns a breach, a lead sees all.
        ("worker", False),
        ("supervisor", False),
        ("assessor", False),
        ("manager", True),
        ("lead", True),
        ("outsider", False),
    ],
)
def test_breaches_are_seen_by_the_workers_manager_and_leads(
    api, request, enrolment, persona, sees_it
):
    breach = _breach(enrolment)
    api.force_authenticate(request.getfixturevalue(persona))
    assert (breach.pk in _ids(api.get(BREACHES))) is sees_it
    detail = api.get(reverse("api:caseload-breach-detail", args=[breach.pk]))
    assert detail.status_code == (200 if sees_it else 404)


def test_the_outsider_sees_their_own_teams_breach_only(api, outsider, enrolment):
    _breach(enrolment)
    theirs = _breach(Enrolment.objects.get(worker__team__manager=outsider))
    api.force_authenticate(outsider)
    assert _ids(api.get(BREACHES)) == {theirs.pk}


def test_a_breach_reads_with_its_figures_caps_and_working(api, manager, enrolment):
    breach = _breach(
        enrolment,
        status=CaseloadBreach.Status.ACKNOWLEDGED,
        plan="Two cases move to Sam",
        plan_due_on=date(2026, 11, 30),
        acknowledged_by=manager,
        acknowledged_at=timezone.now(),
    )
    api.force_authenticate(manager)
    body = api.get(reverse("api:caseload-breach-detail", args=[breach.pk])).json()
    assert body["worker"]["id"] == enrolment.worker_id
    assert body["team"] == enrolment.worker.team.name
    assert (body["open_cases"], body["cap"], body["limits"]) == (12, 9, ["open-cases"])
    assert (body["status"], body["plan_due_on"]) == ("acknowledged", "2026-11-30")
    assert body["acknowledged_by"]["id"] == manager.pk
    assert (body["resolved_by"], body["resolution_note"], body["escalated_at"]) == (None, "", None)


def test_breaches_filter_by_status_and_a_bad_status_is_a_400(api, lead, enrolment):
    resolved = _breach(enrolment, status=CaseloadBreach.Status.RESOLVED)
    current = _breach(enrolment)
    api.force_authenticate(lead)
    assert _ids(api.get(BREACHES, {"status": "open"})) == {current.pk}
    assert _ids(api.get(BREACHES, {"status": "resolved"})) == {resolved.pk}
    assert _ids(api.get(BREACHES, {"status": "acknowledged"})) == set()
    assert _ids(api.get(BREACHES, {"enrolment": enrolment.pk})) == {current.pk, resolved.pk}
    assert set(api.get(BREACHES, {"status": "closed"}).json()) == {"status"}


# --- Sending figures: who may, and what each sends.


def test_a_lead_sends_figures_and_each_is_stored_once_from_the_api(api, lead, enrolment):
    second = EnrolmentFactory()
    second.worker.swe_registration_number = "SW123456"
    second.worker.save()
    api.force_authenticate(lead)
    figures = [
        _figure(enrolment.worker, open_cases=8, child_protection_cases=1, complex_cases=0),
        _figure(enrolment.worker, as_of="2026-10-12", open_cases=9, weighted_complexity="11.50"),
        {"worker": " sw123456 ", "as_of": "2026-10-05", "open_cases": 4},
    ]
    response = _post(api, figures)
    assert response.status_code == 201
    assert response.json() == {"created": 3, "updated": 0, "unchanged": 0}
    stored = CaseloadSnapshot.objects.order_by("enrolment_id", "as_of")
    assert [(s.enrolment_id, s.as_of, s.open_cases) for s in stored] == [
        (enrolment.pk, date(2026, 10, 5), 8),
        (enrolment.pk, date(2026, 10, 12), 9),
        (second.pk, date(2026, 10, 5), 4),
    ]
    assert {(s.source, s.recorded_by_id) for s in stored} == {("api", lead.pk)}
    assert str(stored[1].weighted_complexity) == "11.50"
    assert CaseloadSnapshot.history.filter(history_user=lead).count() == 3


def test_an_email_matches_whatever_its_case(api, lead, enrolment):
    api.force_authenticate(lead)
    figure = _figure(enrolment.worker)
    figure["worker"] = figure["worker"].upper()
    assert _post(api, [figure]).status_code == 201
    assert CaseloadSnapshot.objects.get().enrolment == enrolment


@pytest.mark.parametrize(("persona", "status_code"), [("supervisor", 201), ("manager", 201)])
def test_the_supervisor_and_manager_send_figures_for_their_worker(
    api, request, enrolment, persona, status_code
):
    person = request.getfixturevalue(persona)
    api.force_authenticate(person)
    assert _post(api, [_figure(enrolment.worker)]).status_code == status_code
    assert CaseloadSnapshot.objects.get().recorded_by == person


@pytest.mark.parametrize("persona", ["worker", "assessor"])
def test_a_worker_or_assessor_may_not_send_figures(api, request, enrolment, persona):
    api.force_authenticate(request.getfixturevalue(persona))
    response = _post(api, [_figure(enrolment.worker)])
    assert response.status_code == 403
    assert not CaseloadSnapshot.objects.exists()


def test_no_credentials_is_a_401_and_nothing_is_saved(api, enrolment):
    assert _post(api, [_figure(enrolment.worker)]).status_code == 401
    assert not CaseloadSnapshot.objects.exists()


def test_figures_for_a_worker_the_sender_cannot_see_are_refused_like_an_unknown_one(
    api, outsider, enrolment
):
    """The outsider may send for their own team: another team's worker is a 400 for that
    figure, worded as for an email nobody has, so it says nothing about who exists."""
    theirs = Enrolment.objects.get(supervisor=outsider)
    api.force_authenticate(outsider)
    figures = [
        _figure(theirs.worker),
        _figure(enrolment.worker),
        {"worker": "nobody@council.example", "as_of": "2026-10-05", "open_cases": 1},
    ]
    response = _post(api, figures)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"1", "2"}
    assert body["1"] == body["2"]
    assert body["1"] == {
        "worker": ["No worker you may see has this email address or Social Work England number."]
    }
    assert not CaseloadSnapshot.objects.exists()


def test_a_supervisor_may_not_send_for_a_worker_they_only_see(api, enrolment):
    """Seeing an enrolment (here as its assessor) is not enough: the sender must record for it."""
    other = EnrolmentFactory(assessor=enrolment.supervisor)
    api.force_authenticate(enrolment.supervisor)
    response = _post(api, [_figure(enrolment.worker), _figure(other.worker)])
    assert response.status_code == 400
    assert response.json() == {
        "1": {"worker": ["You may send figures only for workers you supervise or manage."]}
    }
    assert not CaseloadSnapshot.objects.exists()


# --- Idempotent, corrections, all or nothing.


def test_sending_the_same_figures_again_changes_nothing(
    api, lead, enrolment, django_capture_on_commit_callbacks
):
    api.force_authenticate(lead)
    figures = [_figure(enrolment.worker), _figure(enrolment.worker, as_of="2026-10-12")]
    with django_capture_on_commit_callbacks() as first:
        assert _post(api, figures).status_code == 201
    history = CaseloadSnapshot.history.count()
    with django_capture_on_commit_callbacks() as again:
        response = _post(api, figures)
    assert response.status_code == 200
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 2}
    assert CaseloadSnapshot.objects.count() == 2
    assert CaseloadSnapshot.history.count() == history
    assert (len(first), len(again)) == (1, 0)  # breach detection queued only when figures changed


def test_a_different_figure_for_a_stored_day_is_a_correction_kept_in_the_history(
    api, lead, enrolment
):
    api.force_authenticate(lead)
    _post(api, [_figure(enrolment.worker, open_cases=8), _figure(enrolment.worker, "2026-10-12")])
    response = _post(
        api, [_figure(enrolment.worker, open_cases=11), _figure(enrolment.worker, "2026-10-12")]
    )
    assert response.status_code == 200
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 1}
    corrected = CaseloadSnapshot.objects.get(as_of=date(2026, 10, 5))
    assert corrected.open_cases == 11
    assert [row.open_cases for row in corrected.history.order_by("history_id")] == [8, 11]


def test_two_figures_for_one_day_in_one_list_the_later_counts(api, lead, enrolment):
    api.force_authenticate(lead)
    figures = [_figure(enrolment.worker, open_cases=8), _figure(enrolment.worker, open_cases=10)]
    assert _post(api, figures).json() == {"created": 1, "updated": 0, "unchanged": 0}
    assert CaseloadSnapshot.objects.get().open_cases == 10


def test_one_refused_figure_saves_none_and_every_refusal_is_named_by_position(api, lead, enrolment):
    api.force_authenticate(lead)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    figures = [
        _figure(enrolment.worker),
        _figure(enrolment.worker, as_of="2026-10-12", open_cases=-1),
        _figure(enrolment.worker, as_of="2026-10-19", open_cases=3, child_protection_cases=4),
        _figure(enrolment.worker, as_of=tomorrow),
        _figure(enrolment.worker, as_of="2026-09-01"),  # before the programme started
    ]
    response = _post(api, figures)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["1", "2", "3", "4"]
    assert set(body["1"]) == {"open_cases"}
    assert body["2"] == {
        "child_protection_cases": [
            "Child-protection cases are part of the open cases: they cannot be more."
        ]
    }
    assert body["3"] == {"as_of": ["The date must be today or in the past."]}
    assert body["4"] == {
        "as_of": ["This worker was not on a programme on this date: check it against their start."]
    }
    assert not CaseloadSnapshot.objects.exists()
    assert not CaseloadSnapshot.history.exists()


@pytest.mark.parametrize("as_of", ["05/10/2026", "5 October 2026", "2026-10-05T09:00:00Z", ""])
def test_the_api_takes_iso_dates_only(api, lead, enrolment, as_of):
    api.force_authenticate(lead)
    response = _post(api, [_figure(enrolment.worker, as_of=as_of)])
    assert response.status_code == 400
    assert set(response.json()["0"]) == {"as_of"}


def test_a_field_the_api_does_not_take_is_refused_not_ignored(api, lead, enrolment):
    api.force_authenticate(lead)
    response = _post(api, [_figure(enrolment.worker, source="manual", recorded_by=lead.pk)])
    assert response.status_code == 400
    assert response.json() == {
        "0": {
            "recorded_by": ["This field cannot be set here."],
            "source": ["This field cannot be set here."],
        }
    }
    assert not CaseloadSnapshot.objects.exists()


def test_figures_for_an_ended_programme_are_refused(api, lead, enrolment):
    enrolment.status, enrolment.ended_on = Enrolment.Status.COMPLETED, date(2026, 11, 1)
    enrolment.save()
    api.force_authenticate(lead)
    response = _post(api, [_figure(enrolment.worker)])
    assert response.status_code == 400
    assert response.json()["0"] == {
        "worker": ["This worker's programme has ended: figures are no longer recorded."]
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            {"worker": "x", "as_of": "2026-10-05", "open_cases": 1},
            "Send a JSON list of caseload figures, one object for each worker and day.",
            id="an-object-not-a-list",
        ),
        pytest.param([], "Send at least one caseload figure.", id="empty"),
        pytest.param(
            [{}] * 5001,
            "Send at most 5,000 figures at a time: split the list by day.",
            id="too-many",
        ),
    ],
)
def test_a_body_that_is_not_a_list_of_figures_is_refused_whole(api, lead, body, message):
    api.force_authenticate(lead)
    response = _post(api, body)
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [message]}


def test_an_item_that_is_not_an_object_is_refused_by_position(api, lead, enrolment):
    api.force_authenticate(lead)
    response = _post(api, [_figure(enrolment.worker), "worker,2026-10-05,8", None])
    assert response.status_code == 400
    assert set(response.json()) == {"1", "2"}
    assert not CaseloadSnapshot.objects.exists()


def test_a_token_authenticates_the_system_that_sends_figures(api, lead, enrolment):
    token = Token.objects.create(user=lead)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert _post(api, [_figure(enrolment.worker)]).status_code == 201
    assert api.get(SNAPSHOTS).json()["count"] == 1
    assert api.get(BREACHES).status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert api.get(SNAPSHOTS).status_code == 401
    assert api.get(BREACHES).status_code == 401


# --- Working a breach through the API: the same services as the web.


def test_the_manager_acknowledges_a_breach_with_a_plan(api, manager, enrolment):
    breach = _breach(enrolment)
    api.force_authenticate(manager)
    url = reverse("api:caseload-breach-acknowledge", args=[breach.pk])
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = api.post(url, {"plan": "Two cases move to Sam", "plan_due_on": due}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["plan_due_on"]) == ("acknowledged", due)
    assert breach.history.latest().history_user == manager


def test_a_blank_plan_is_refused_with_what_to_write(api, manager, enrolment):
    breach = _breach(enrolment)
    api.force_authenticate(manager)
    url = reverse("api:caseload-breach-acknowledge", args=[breach.pk])
    response = api.post(url, {"plan": " ", "plan_due_on": "2026-12-31"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"plan": ["Say how the caseload will come back within the cap."]}
    breach.refresh_from_db()
    assert breach.status == CaseloadBreach.Status.OPEN


def test_a_lead_resolves_a_breach_by_hand_and_a_resolved_one_is_a_403(api, lead, enrolment):
    breach = _breach(enrolment)
    api.force_authenticate(lead)
    url = reverse("api:caseload-breach-resolve", args=[breach.pk])
    response = api.post(url, {"resolution_note": "The figure was a typo"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "resolved"
    assert response.json()["resolved_by"]["id"] == lead.pk
    again = api.post(url, {"resolution_note": "Again"}, format="json")
    assert again.status_code == 403


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "outsider"])
def test_people_who_cannot_see_a_breach_cannot_work_it(api, request, enrolment, persona):
    breach = _breach(enrolment)
    api.force_authenticate(request.getfixturevalue(persona))
    url = reverse("api:caseload-breach-acknowledge", args=[breach.pk])
    body = {"plan": "x", "plan_due_on": "2026-12-31"}
    assert api.post(url, body, format="json").status_code == 404
    url = reverse("api:caseload-breach-resolve", args=[breach.pk])
    assert api.post(url, {"resolution_note": "x"}, format="json").status_code == 404
    breach.refresh_from_db()
    assert breach.status == CaseloadBreach.Status.OPEN


def test_a_field_acknowledging_does_not_take_is_refused(api, manager, enrolment):
    breach = _breach(enrolment)
    api.force_authenticate(manager)
    url = reverse("api:caseload-breach-acknowledge", args=[breach.pk])
    body = {"plan": "x", "plan_due_on": "2026-12-31", "status": "resolved"}
    response = api.post(url, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"status": ["This field cannot be changed here."]}


# --- Query bounds and schema.


def test_the_figure_list_query_count_is_flat(api, lead, django_assert_max_num_queries):
    def add(count: int) -> None:
        for _number in range(count):
            _snapshot(EnrolmentFactory(), recorded_by=lead)

    api.force_authenticate(lead)
    add(3)
    # roles, count, figures with enrolment, worker and who recorded them
    with django_assert_max_num_queries(3):
        assert api.get(SNAPSHOTS).json()["count"] == 3
    add(30)
    with django_assert_max_num_queries(3):
        assert api.get(SNAPSHOTS).json()["count"] == 33


def test_the_breach_list_query_count_is_flat(api, lead, django_assert_max_num_queries):
    def add(count: int) -> None:
        for _number in range(count):
            _breach(EnrolmentFactory(), status=CaseloadBreach.Status.RESOLVED, resolved_by=lead)

    api.force_authenticate(lead)
    add(3)
    # roles, count, breaches with enrolment, worker, team and the people who worked them
    with django_assert_max_num_queries(3):
        assert api.get(BREACHES).json()["count"] == 3
    add(30)
    with django_assert_max_num_queries(3):
        assert api.get(BREACHES).json()["count"] == 33


def test_sending_figures_takes_the_same_queries_for_few_workers_or_many(
    api, manager, enrolment, django_assert_max_num_queries
):
    team = enrolment.worker.team
    workers = [enrolment.worker]
    workers += [EnrolmentFactory(worker__team=team).worker for _number in range(24)]
    api.force_authenticate(manager)
    # roles, enrolments matched with their workers, their teams, the figures already stored
    # (locked), then the insert and its history rows, in a savepoint (2)
    with django_assert_max_num_queries(8):
        assert _post(api, [_figure(worker) for worker in workers[:2]]).status_code == 201
    with django_assert_max_num_queries(8):
        figures = [_figure(worker, as_of="2026-10-12") for worker in workers]
        assert _post(api, figures).json()["created"] == 25


def test_the_schema_describes_both_resources(api, worker):
    api.force_authenticate(worker)
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert set(paths["/api/v1/caseload-snapshots/"]) == {"get", "post"}
    assert set(paths["/api/v1/caseload-snapshots/{id}/"]) == {"get"}
    assert set(paths["/api/v1/caseload-breaches/"]) == {"get"}
    assert set(paths["/api/v1/caseload-breaches/{id}/"]) == {"get"}
    for step in ("acknowledge", "resolve"):
        assert set(paths[f"/api/v1/caseload-breaches/{{id}}/{step}/"]) == {"post"}
    sending = paths["/api/v1/caseload-snapshots/"]["post"]
    assert list(sending["requestBody"]["content"]) == ["application/json"]
    assert sending["requestBody"]["content"]["application/json"]["schema"]["type"] == "array"
    assert sorted(sending["responses"]) == ["200", "201", "400", "401", "403"]
    by_position = sending["responses"]["400"]["content"]["application/json"]["schema"]
    assert "position in the list" in by_position["description"]
