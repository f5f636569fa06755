"""Feedback requests: a single-use, expiring link whose secret is never kept in clear."""

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments.models import Evidence, FeedbackRequest
from assessments.services.feedback import (
    CODE_ALPHABET,
    create_feedback_request,
    find_by_code,
    find_by_token,
    give_feedback,
    normalise_code,
    withdraw_feedback_request,
)
from people.models import Notification
from tests.assessments.matrix_observations import asked

pytestmark = pytest.mark.django_db


def _answer(feedback_request, **changes):
    values = {
        "feedback_request": feedback_request,
        "relationship": "Mum",
        "what_went_well": "She listened to us.",
        "what_could_be_better": "Come on time.",
        "anything_else": "",
    } | changes
    return give_feedback(**values)


@pytest.mark.parametrize("persona", ["worker", "assessor"])
def test_the_worker_or_their_assessor_may_ask_for_feedback(request, enrolment, persona):
    created = asked(enrolment, by=request.getfixturevalue(persona))
    assert created.feedback_request.requested_by == request.getfixturevalue(persona)


@pytest.mark.parametrize("persona", ["supervisor", "manager", "lead", "outsider"])
def test_nobody_else_may_ask_for_feedback(request, enrolment, persona):
    with pytest.raises(PermissionDenied):
        asked(enrolment, by=request.getfixturevalue(persona))
    assert not FeedbackRequest.objects.exists()


def test_the_token_is_stored_only_as_its_hash(enrolment):
    created = asked(enrolment)
    saved = FeedbackRequest.objects.get()
    assert saved.token_hash == hashlib.sha256(created.token.encode()).hexdigest()
    assert len(created.token) >= 40
    row = FeedbackRequest.objects.filter(pk=saved.pk).values().get()
    assert created.token not in str(row)
    for historical in saved.history.all():
        assert created.token not in str(vars(historical))
    assert find_by_token(created.token) == saved
    assert find_by_token(saved.token_hash) is None


def test_the_short_code_has_eight_unambiguous_characters(enrolment):
    code = asked(enrolment).feedback_request.short_code
    assert len(code) == 8
    assert set(code) <= set(CODE_ALPHABET)
    assert not set("0O1IL5S") & set(CODE_ALPHABET)


def test_the_code_is_found_whatever_its_case_and_dashes(enrolment):
    saved = asked(enrolment).feedback_request
    typed = f" {saved.short_code[:4].lower()}-{saved.short_code[4:]} "
    assert normalise_code(typed) == saved.short_code
    assert find_by_code(typed) == saved
    assert find_by_code("AAAA-AAAA") is None


def test_the_link_expires_after_the_configured_days(enrolment, settings):
    settings.FEEDBACK_LINK_DAYS = 10
    saved = asked(enrolment).feedback_request
    assert saved.expires_at - saved.created_at == timedelta(days=10)


def test_with_an_email_the_link_is_sent_when_the_request_is_saved(
    enrolment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = asked(enrolment, email="parent@example.com")
    (message,) = mail.outbox
    assert message.to == ["parent@example.com"]
    assert created.link in message.body
    assert enrolment.worker.get_short_name() in message.body
    assert enrolment.worker.full_name not in message.body + message.subject


def test_without_an_email_nothing_is_sent(enrolment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asked(enrolment)
    assert mail.outbox == []


def test_feedback_lands_as_submitted_evidence_marked_who_it_came_from(enrolment):
    saved = asked(enrolment).feedback_request
    evidence = _answer(saved, anything_else="Thank you.")
    assert evidence.kind == Evidence.Kind.FEEDBACK_PERSON
    assert evidence.author is None
    assert evidence.status == Evidence.Status.SUBMITTED
    assert evidence.source_name == "Sam's mum"
    assert evidence.source_relationship == "Mum"
    assert evidence.occurred_on == timezone.localdate()
    assert not evidence.statements.exists()
    assert evidence.body == (
        "What went well?\nShe listened to us.\n\nWhat could be better?\nCome on time."
        "\n\nAnything else?\nThank you."
    )
    saved.refresh_from_db()
    assert saved.used_at is not None
    assert saved.evidence == evidence


def test_a_professional_s_feedback_is_marked_as_from_a_professional(enrolment):
    saved = create_feedback_request(
        requested_by=enrolment.worker,
        enrolment=enrolment,
        giver=FeedbackRequest.Giver.PROFESSIONAL,
        recipient_name="Health visitor",
        about="The joint visit",
    ).feedback_request
    evidence = _answer(saved, relationship="")
    assert evidence.kind == Evidence.Kind.FEEDBACK_PROFESSIONAL
    assert evidence.source_relationship == "Health visitor"  # the request's words, if blank


def test_the_worker_and_the_assessor_are_told_of_feedback(enrolment):
    _answer(asked(enrolment).feedback_request)
    told = set(
        Notification.objects.filter(kind="feedback-received").values_list("recipient", flat=True)
    )
    assert told == {enrolment.worker_id, enrolment.assessor_id}


def test_a_link_works_once(enrolment):
    saved = asked(enrolment).feedback_request
    _answer(saved)
    with pytest.raises(ValidationError) as refusal:
        _answer(saved, what_went_well="Again")
    assert refusal.value.messages == ["This link has already been used."]
    assert Evidence.objects.count() == 1


def test_an_expired_link_is_refused(enrolment):
    saved = asked(enrolment).feedback_request
    FeedbackRequest.objects.filter(pk=saved.pk).update(expires_at=timezone.now())
    with pytest.raises(ValidationError) as refusal:
        _answer(saved)
    assert refusal.value.code == "closed"
    assert not Evidence.objects.exists()


def test_a_withdrawn_link_is_refused(enrolment):
    saved = asked(enrolment).feedback_request
    withdraw_feedback_request(withdrawn_by=enrolment.worker, feedback_request=saved)
    assert saved.withdrawn_at is not None
    with pytest.raises(ValidationError) as refusal:
        _answer(saved)
    assert refusal.value.code == "closed"
    assert not Evidence.objects.exists()


def test_an_answered_request_cannot_be_withdrawn(enrolment):
    saved = asked(enrolment).feedback_request
    _answer(saved)
    with pytest.raises(ValidationError):
        withdraw_feedback_request(withdrawn_by=enrolment.worker, feedback_request=saved)


@pytest.mark.parametrize("persona", ["supervisor", "manager", "lead", "outsider"])
def test_only_the_worker_or_assessor_may_withdraw(request, enrolment, persona):
    saved = asked(enrolment).feedback_request
    with pytest.raises(PermissionDenied):
        withdraw_feedback_request(
            withdrawn_by=request.getfixturevalue(persona), feedback_request=saved
        )


def test_an_empty_answer_is_refused_and_the_link_stays_open(enrolment):
    saved = asked(enrolment).feedback_request
    with pytest.raises(ValidationError) as refusal:
        _answer(saved, what_went_well=" ", what_could_be_better="")
    assert refusal.value.message_dict == {
        "what_went_well": ["Write what went well, or what could be better."]
    }
    saved.refresh_from_db()
    assert saved.used_at is None
