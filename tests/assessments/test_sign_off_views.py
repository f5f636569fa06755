"""The assessor's pages: the queue oldest first with ages in words, deciding, reversing."""

from __future__ import annotations

import html
import re
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Evidence, EvidenceStatement, SignOff
from people.models import Role
from tests.assessments.factories import EvidenceFactory, sign_off, statements_of
from tests.factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)


@pytest.fixture(autouse=True)
def _clock(monkeypatch) -> None:
    real_localdate = timezone.localdate

    def localdate(*args: object, **kwargs: object) -> date:
        return real_localdate(*args, **kwargs) if args or kwargs else TODAY

    monkeypatch.setattr(timezone, "localdate", localdate)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))


def visible(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def url(name: str, *args: object) -> str:
    return reverse(f"assessments:{name}", args=args)


class TestQueue:
    def test_the_queue_is_oldest_first_with_ages_in_words(self, client, enrolment, assessor):
        EvidenceFactory(enrolment=enrolment, title="Newer", submitted_at=_at(date(2026, 12, 2)))
        EvidenceFactory(enrolment=enrolment, title="Older", submitted_at=_at(date(2026, 11, 2)))
        EvidenceFactory(enrolment=enrolment, title="Today", submitted_at=_at(TODAY))
        client.force_login(assessor)
        page = visible(client.get(url("sign-off-queue")))
        assert page.index("Older") < page.index("Newer") < page.index("Today")
        assert "23 working days Overdue" in page
        assert "1 working day" in page
        assert "Submitted today" in page
        assert "1 item has waited more than 10 working days." in page

    def test_an_empty_queue_says_so(self, client, assessor):
        client.force_login(assessor)
        assert "Nothing is waiting for you." in visible(client.get(url("sign-off-queue")))

    def test_the_queue_query_count_is_flat(self, client, django_assert_max_num_queries):
        assessor = UserFactory(roles=[Role.ASSESSOR])
        client.force_login(assessor)
        for enrolment in EnrolmentFactory.create_batch(3, assessor=assessor):
            EvidenceFactory(enrolment=enrolment)
        # session, user, roles, the items with their people and programme, the header's
        # unread count, and the idle-timeout refresh of the session (3)
        with django_assert_max_num_queries(8):
            client.get(url("sign-off-queue"))
        for enrolment in EnrolmentFactory.create_batch(27, assessor=assessor):
            EvidenceFactory(enrolment=enrolment)
        with django_assert_max_num_queries(8):
            response = client.get(url("sign-off-queue"))
        assert response.content.decode().count("/decide/") == 30


class TestDecide:
    def test_the_form_offers_every_statement_ticked_with_the_items_tags(
        self, client, enrolment, assessor
    ):
        statements = statements_of(enrolment)
        evidence = EvidenceFactory(enrolment=enrolment, statements=statements[1:2])
        client.force_login(assessor)
        markup = client.get(url("evidence-decide", evidence.pk)).content.decode()
        boxes = re.findall(r'<input class="govuk-checkboxes__input"[^>]*>', markup)
        assert len(boxes) == len(statements)
        ticked = [box for box in boxes if " checked" in box]
        assert len(ticked) == 1 and f'value="{statements[1].pk}"' in ticked[0]

    def test_signing_off_confirms_the_statements_ticked(self, client, enrolment, assessor):
        statements = statements_of(enrolment)
        evidence = EvidenceFactory(enrolment=enrolment)
        client.force_login(assessor)
        response = client.post(
            url("evidence-decide", evidence.pk),
            {"decision": "signed-off", "statements": [statements[2].pk, statements[4].pk]},
        )
        assert response["Location"] == url("sign-off-queue")
        evidence.refresh_from_db()
        assert evidence.status == Evidence.Status.SIGNED_OFF
        assert set(
            EvidenceStatement.objects.filter(evidence=evidence).values_list("statement", flat=True)
        ) == {statements[2].pk, statements[4].pk}

    def test_signing_off_with_nothing_ticked_is_refused(self, client, enrolment, assessor):
        evidence = EvidenceFactory(enrolment=enrolment)
        client.force_login(assessor)
        response = client.post(url("evidence-decide", evidence.pk), {"decision": "signed-off"})
        assert '<a href="#id_statements">Choose at least one statement' in response.content.decode()
        assert not SignOff.objects.exists()

    def test_returning_without_a_comment_is_refused(self, client, enrolment, assessor):
        evidence = EvidenceFactory(enrolment=enrolment)
        client.force_login(assessor)
        response = client.post(url("evidence-decide", evidence.pk), {"decision": "returned"})
        assert "Say what the worker needs to change" in visible(response)
        evidence.refresh_from_db()
        assert evidence.status == Evidence.Status.SUBMITTED

    def test_returning_with_a_comment_sends_it_back(self, client, enrolment, assessor):
        evidence = EvidenceFactory(enrolment=enrolment)
        client.force_login(assessor)
        client.post(
            url("evidence-decide", evidence.pk), {"decision": "returned", "comment": "Add more."}
        )
        evidence.refresh_from_db()
        assert evidence.status == Evidence.Status.RETURNED

    @pytest.mark.parametrize(("persona", "status_code"), [("worker", 403), ("outsider", 404)])
    def test_nobody_else_may_post_a_decision(
        self, client, request, enrolment, persona, status_code
    ):
        evidence = EvidenceFactory(enrolment=enrolment)
        client.force_login(request.getfixturevalue(persona))
        response = client.post(
            url("evidence-decide", evidence.pk), {"decision": "returned", "comment": "x"}
        )
        assert response.status_code == status_code
        assert not SignOff.objects.exists()


class TestReverse:
    def test_a_reversal_needs_a_reason_and_adds_a_row(self, client, enrolment, assessor):
        evidence = EvidenceFactory(enrolment=enrolment)
        sign_off(evidence)
        client.force_login(assessor)
        refused = client.post(url("evidence-reverse", evidence.pk), {"reason": ""})
        assert "Say why the sign-off is being reversed" in visible(refused)
        client.post(url("evidence-reverse", evidence.pk), {"reason": "Signed off by mistake."})
        evidence.refresh_from_db()
        assert evidence.status == Evidence.Status.RETURNED
        assert list(SignOff.objects.values_list("decision", flat=True)) == [
            "signed-off",
            "reversed",
        ]
        page = visible(client.get(url("evidence-detail", evidence.pk)))
        assert "Sign-off reversed" in page and "Signed off by mistake." in page
