"""The evidence and sign-off API: the web's scope and services, the same locks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Evidence, SignOff, Statement
from tests.assessments.factories import EvidenceFactory, sign_off, statements_of

pytestmark = pytest.mark.django_db


def _new(enrolment, **extra) -> dict:
    return {
        "enrolment": enrolment.pk,
        "kind": "reflection",
        "title": "First home visit",
        "occurred_on": "2026-10-05",
        "what_happened": "I visited.",
        "what_i_learned": "Plain words.",
        "what_i_will_do": "Plan with them.",
        "statements": [statements_of(enrolment)[0].pk],
        **extra,
    }


class TestEvidence:
    def test_the_worker_creates_a_draft_and_submits_it(self, client, worker, enrolment):
        client.force_login(worker)
        created = client.post(reverse("api:evidence-list"), _new(enrolment), "application/json")
        assert created.status_code == 201, created.json()
        body = created.json()
        assert (body["status"], body["author"]["id"]) == ("draft", worker.pk)
        submitted = client.post(reverse("api:evidence-submit", args=[body["id"]]))
        assert submitted.status_code == 200
        assert submitted.json()["status"] == "submitted"

    @pytest.mark.parametrize("persona", ["assessor", "lead", "supervisor", "manager"])
    def test_a_draft_is_invisible_through_the_api(self, client, request, enrolment, persona):
        draft = EvidenceFactory(enrolment=enrolment, status=Evidence.Status.DRAFT)
        client.force_login(request.getfixturevalue(persona))
        assert client.get(reverse("api:evidence-detail", args=[draft.pk])).status_code == 404
        listed = client.get(reverse("api:evidence-list")).json()
        assert draft.pk not in [item["id"] for item in listed["results"]]

    def test_someone_else_cannot_create_in_the_workers_portfolio(self, client, assessor, enrolment):
        client.force_login(assessor)
        response = client.post(reverse("api:evidence-list"), _new(enrolment), "application/json")
        assert response.status_code == 403
        assert not Evidence.objects.exists()

    def test_a_statement_outside_the_pinned_framework_is_refused(self, client, worker, enrolment):
        other = Statement.objects.exclude(
            standard__framework=enrolment.framework_pin.framework
        ).first()
        client.force_login(worker)
        response = client.post(
            reverse("api:evidence-list"), _new(enrolment, statements=[other.pk]), "application/json"
        )
        assert response.status_code == 400
        assert "statements" in response.json()
        assert not Evidence.objects.exists()

    def test_a_field_the_service_decides_is_refused(self, client, worker, enrolment):
        client.force_login(worker)
        response = client.post(
            reverse("api:evidence-list"), _new(enrolment, status="signed-off"), "application/json"
        )
        assert response.status_code == 400
        assert response.json() == {"status": ["This field cannot be set here."]}

    def test_a_nul_character_is_refused(self, client, worker, enrolment):
        client.force_login(worker)
        response = client.post(
            reverse("api:evidence-list"), _new(enrolment, body="a\x00b"), "application/json"
        )
        assert response.status_code == 400

    def test_signed_off_evidence_is_locked_through_the_api(self, client, worker, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        sign_off(evidence)
        client.force_login(worker)
        response = client.patch(
            reverse("api:evidence-detail", args=[evidence.pk]),
            {"title": "Changed"},
            "application/json",
        )
        assert response.status_code == 403
        evidence.refresh_from_db()
        assert evidence.title != "Changed"

    def test_a_returned_item_is_patched_keeping_what_was_not_sent(self, client, worker, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        sign_off(evidence, decision="returned")
        client.force_login(worker)
        response = client.patch(
            reverse("api:evidence-detail", args=[evidence.pk]),
            {"title": "Better"},
            "application/json",
        )
        assert response.status_code == 200
        evidence.refresh_from_db()
        assert evidence.title == "Better"
        assert evidence.what_happened == "I visited the family with my supervisor."
        assert list(evidence.statements.all()) == statements_of(enrolment)[:1]


class TestSignOffs:
    def test_the_assessor_signs_off_through_the_api(self, client, assessor, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        chosen = statements_of(enrolment)[4]
        client.force_login(assessor)
        response = client.post(
            reverse("api:sign-off-list"),
            {"evidence": evidence.pk, "decision": "signed-off", "statements": [chosen.pk]},
            "application/json",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["statements"] == [chosen.pk]
        evidence.refresh_from_db()
        assert evidence.status == Evidence.Status.SIGNED_OFF

    def test_a_reversal_is_a_create_with_the_reason_as_comment(self, client, assessor, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        sign_off(evidence)
        client.force_login(assessor)
        refused = client.post(
            reverse("api:sign-off-list"),
            {"evidence": evidence.pk, "decision": "reversed"},
            "application/json",
        )
        assert refused.status_code == 400
        assert "reason" in refused.json()
        response = client.post(
            reverse("api:sign-off-list"),
            {"evidence": evidence.pk, "decision": "reversed", "comment": "A mistake."},
            "application/json",
        )
        assert response.status_code == 201
        assert SignOff.objects.count() == 2

    def test_the_worker_cannot_sign_off_their_own_evidence(self, client, worker, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        client.force_login(worker)
        response = client.post(
            reverse("api:sign-off-list"),
            {
                "evidence": evidence.pk,
                "decision": "signed-off",
                "statements": [statements_of(enrolment)[0].pk],
            },
            "application/json",
        )
        assert response.status_code == 403
        assert not SignOff.objects.exists()

    def test_a_draft_cannot_be_named_by_someone_else(self, client, lead, enrolment):
        draft = EvidenceFactory(enrolment=enrolment, status=Evidence.Status.DRAFT)
        client.force_login(lead)
        response = client.post(
            reverse("api:sign-off-list"),
            {"evidence": draft.pk, "decision": "returned", "comment": "x"},
            "application/json",
        )
        assert response.status_code == 400
        assert "evidence" in response.json()

    def test_sign_offs_are_read_with_the_evidence(self, client, outsider, enrolment):
        record = sign_off(EvidenceFactory(enrolment=enrolment))
        client.force_login(enrolment.supervisor)
        assert client.get(reverse("api:sign-off-detail", args=[record.pk])).status_code == 200
        client.force_login(outsider)
        assert client.get(reverse("api:sign-off-detail", args=[record.pk])).status_code == 404
