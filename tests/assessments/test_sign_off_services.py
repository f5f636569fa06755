"""Sign-off writes: sign off, return, reverse; append-only; the worker told of each."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import Evidence, EvidenceStatement, SignOff
from assessments.services.sign_offs import decide, reverse_sign_off
from people.models import Notification
from tests.assessments.factories import EvidenceFactory, sign_off, statements_of

pytestmark = pytest.mark.django_db


def _tags(evidence: Evidence) -> set[int]:
    return set(
        EvidenceStatement.objects.filter(evidence=evidence).values_list("statement", flat=True)
    )


@pytest.fixture
def item(enrolment) -> Evidence:
    return EvidenceFactory(enrolment=enrolment)


class TestSignOff:
    def test_the_assessor_signs_off_and_the_confirmed_statements_become_the_tags(
        self, item, assessor
    ):
        chosen = statements_of(item.enrolment)[3:5]
        record = decide(assessor=assessor, evidence=item, decision="signed-off", statements=chosen)
        item.refresh_from_db()
        assert item.status == Evidence.Status.SIGNED_OFF
        assert _tags(item) == {s.pk for s in chosen}
        assert set(record.statements.values_list("pk", flat=True)) == {s.pk for s in chosen}
        assert item.history.first().history_user == assessor

    def test_feedback_sent_in_untagged_is_tagged_at_sign_off(self, enrolment, assessor):
        feedback = EvidenceFactory(
            enrolment=enrolment, author=None, kind=Evidence.Kind.FEEDBACK_PERSON, statements=[]
        )
        first = statements_of(enrolment)[0]
        decide(assessor=assessor, evidence=feedback, decision="signed-off", statements=[first])
        assert _tags(feedback) == {first.pk}

    def test_signing_off_needs_at_least_one_statement(self, item, assessor):
        with pytest.raises(ValidationError) as refusal:
            decide(assessor=assessor, evidence=item, decision="signed-off", statements=[])
        assert "statements" in refusal.value.message_dict
        assert not SignOff.objects.exists()
        item.refresh_from_db()
        assert item.status == Evidence.Status.SUBMITTED

    def test_a_lead_may_decide(self, item, lead):
        decide(
            assessor=lead,
            evidence=item,
            decision="signed-off",
            statements=statements_of(item.enrolment)[:1],
        )
        assert SignOff.objects.get().assessor == lead

    @pytest.mark.parametrize("persona", ["worker", "supervisor", "manager", "outsider"])
    def test_nobody_else_decides(self, request, item, persona):
        with pytest.raises(PermissionDenied):
            decide(
                assessor=request.getfixturevalue(persona),
                evidence=item,
                decision="signed-off",
                statements=statements_of(item.enrolment)[:1],
            )
        assert not SignOff.objects.exists()

    @pytest.mark.parametrize("status", ["draft", "returned", "signed-off"])
    def test_only_a_submitted_item_is_decided(self, enrolment, assessor, status):
        evidence = EvidenceFactory(enrolment=enrolment, status=status)
        with pytest.raises(PermissionDenied):
            decide(assessor=assessor, evidence=evidence, decision="returned", comment="x")

    def test_a_decision_raced_by_another_is_refused_on_the_locked_row(self, item, assessor):
        stale = Evidence.objects.get(pk=item.pk)
        decide(assessor=assessor, evidence=item, decision="returned", comment="Add detail.")
        with pytest.raises(ValidationError):
            decide(
                assessor=assessor,
                evidence=stale,
                decision="signed-off",
                statements=statements_of(item.enrolment)[:1],
            )
        assert SignOff.objects.count() == 1

    def test_the_worker_is_told_it_was_signed_off(self, item, assessor):
        decide(
            assessor=assessor,
            evidence=item,
            decision="signed-off",
            statements=statements_of(item.enrolment)[:1],
        )
        notification = Notification.objects.get()
        assert (notification.recipient, notification.kind) == (
            item.enrolment.worker,
            "evidence-signed-off",
        )
        assert item.title in notification.title


class TestReturn:
    def test_a_return_needs_a_comment(self, item, assessor):
        with pytest.raises(ValidationError) as refusal:
            decide(assessor=assessor, evidence=item, decision="returned", comment="  ")
        assert "comment" in refusal.value.message_dict
        assert not SignOff.objects.exists()

    def test_a_returned_item_goes_back_to_the_worker_with_the_comment(self, item, assessor):
        decide(assessor=assessor, evidence=item, decision="returned", comment="Say what you did.")
        item.refresh_from_db()
        assert item.status == Evidence.Status.RETURNED
        notification = Notification.objects.get(kind="evidence-returned")
        assert "Say what you did." in notification.body


class TestReverse:
    def test_a_reversal_is_a_new_row_and_the_sign_off_is_unchanged(self, item, assessor):
        signed = decide(
            assessor=assessor,
            evidence=item,
            decision="signed-off",
            statements=statements_of(item.enrolment)[:1],
        )
        reversal = reverse_sign_off(by=assessor, evidence=item, reason="Wrong worker's notes.")
        item.refresh_from_db()
        assert item.status == Evidence.Status.RETURNED
        assert list(SignOff.objects.values_list("decision", flat=True)) == [
            "signed-off",
            "reversed",
        ]
        assert reversal.comment == "Wrong worker's notes."
        signed_now = SignOff.objects.get(pk=signed.pk)
        assert (signed_now.decision, signed_now.comment) == ("signed-off", "")
        assert Notification.objects.filter(kind="evidence-reversed").count() == 1

    def test_a_reversal_needs_a_reason(self, item, assessor):
        sign_off(item)
        with pytest.raises(ValidationError) as refusal:
            reverse_sign_off(by=assessor, evidence=item, reason="")
        assert "reason" in refusal.value.message_dict
        assert SignOff.objects.count() == 1

    def test_only_a_signed_off_item_is_reversed(self, item, assessor):
        with pytest.raises(PermissionDenied):
            reverse_sign_off(by=assessor, evidence=item, reason="x")

    @pytest.mark.parametrize("persona", ["worker", "supervisor", "manager"])
    def test_nobody_but_the_assessor_or_a_lead_reverses(self, request, item, persona):
        sign_off(item)
        with pytest.raises(PermissionDenied):
            reverse_sign_off(by=request.getfixturevalue(persona), evidence=item, reason="x")


def test_a_sign_off_can_be_neither_changed_nor_deleted(item, assessor):
    record = decide(assessor=assessor, evidence=item, decision="returned", comment="More.")
    record.comment = "Changed"
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()
    assert SignOff.objects.get().comment == "More."
