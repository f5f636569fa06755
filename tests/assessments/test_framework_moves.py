"""A lead moves an enrolment to another framework version: evidence keeps its tags and gains the
mapped statements; what nothing maps is listed for tagging again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments.models import (
    Evidence,
    EvidenceStatement,
    Framework,
    FrameworkPin,
    Statement,
    StatementMapping,
)
from assessments.selectors.frameworks import mapped_targets, move_plan, retagging_needed
from assessments.services.frameworks import move_framework
from tests.assessments.factories import EvidenceFactory, statements_of
from tests.factories import CohortFactory, EnrolmentFactory, programme

pytestmark = pytest.mark.django_db


def _ecs() -> Framework:
    return Framework.objects.get(code="early-career-standards")


def _statement(framework: Framework, code: str) -> Statement:
    return Statement.objects.get(standard__framework=framework, code=code)


@pytest.fixture
def mapped(enrolment):
    """PQS 1.1 and 2.1 map to the early career standards' 2.1; nothing maps PQS 3.1."""
    pqs = enrolment.framework_pin.framework
    ecs = _ecs()
    for code in ("1.1", "2.1"):
        StatementMapping.objects.create(source=_statement(pqs, code), target=_statement(ecs, "2.1"))
    return pqs, ecs


def _tags(evidence: Evidence) -> set[tuple[str, str, bool]]:
    return {
        (tag.statement.standard.framework.code, tag.statement.code, tag.mapped)
        for tag in EvidenceStatement.objects.filter(evidence=evidence).select_related(
            "statement__standard__framework"
        )
    }


def test_a_move_keeps_old_tags_and_adds_the_mapped_statements(lead, enrolment, mapped):
    _pqs, ecs = mapped
    first, second, third = statements_of(enrolment)[:3]
    both = EvidenceFactory(enrolment=enrolment, statements=[first, second])
    unmapped = EvidenceFactory(enrolment=enrolment, statements=[third])

    pin = move_framework(
        moved_by=lead, enrolment=enrolment, framework=ecs, reason="Cohort agreed to move"
    )

    assert pin.framework == ecs
    assert _tags(both) == {
        ("pqs-child-family", "1.1", False),
        ("pqs-child-family", "2.1", False),
        ("early-career-standards", "2.1", True),
    }
    assert _tags(unmapped) == {("pqs-child-family", "3.1", False)}
    assert retagging_needed(enrolment) == [unmapped]


def test_a_move_is_audited_with_who_and_why(lead, enrolment, mapped):
    move_framework(moved_by=lead, enrolment=enrolment, framework=_ecs(), reason="Agreed")

    latest = FrameworkPin.objects.get(enrolment=enrolment).history.latest()
    assert latest.history_user == lead
    assert latest.history_change_reason == (
        "Moved from pqs-child-family:2018 to early-career-standards:2026-consultation: Agreed"
    )
    assert latest.reason == "Agreed"


def test_the_worker_s_drafts_are_carried_across_too(lead, enrolment, mapped):
    draft = EvidenceFactory(
        enrolment=enrolment, status=Evidence.Status.DRAFT, statements=statements_of(enrolment)[:1]
    )

    plan = move_plan(lead, enrolment, _ecs())
    move_framework(moved_by=lead, enrolment=enrolment, framework=_ecs(), reason="Agreed")

    assert plan.carried == () and plan.hidden == 1
    assert ("early-career-standards", "2.1", True) in _tags(draft)


def test_the_preview_lists_what_maps_and_what_needs_tagging_again(lead, enrolment, mapped):
    first, _second, third = statements_of(enrolment)[:3]
    carried = EvidenceFactory(enrolment=enrolment, statements=[first])
    retag = EvidenceFactory(enrolment=enrolment, statements=[third])
    EvidenceFactory(enrolment=enrolment, statements=[])

    plan = move_plan(lead, enrolment, _ecs())

    assert [(item.evidence, [s.code for s in item.carried]) for item in plan.carried] == [
        (carried, ["2.1"])
    ]
    assert [item.evidence for item in plan.retag] == [retag]
    assert not EvidenceStatement.objects.filter(mapped=True).exists(), "a preview changes nothing"


def test_mappings_are_followed_across_the_versions_in_between(enrolment, mapped):
    pqs, ecs = mapped
    published = Framework.objects.create(
        code="early-career-standards", version="2026", name="ECS", effective_from=ecs.effective_from
    )
    standard = published.standards.create(number="1", title="Relationships", position=1)
    final = standard.statements.create(code="1.1", text="Relationships", position=1)
    StatementMapping.objects.create(source=_statement(ecs, "2.1"), target=final)

    found = mapped_targets([_statement(pqs, "1.1").pk], framework=published)

    assert found == {_statement(pqs, "1.1").pk: {final.pk}}


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "manager"])
def test_only_a_lead_may_move_an_enrolment(request, enrolment, persona):
    with pytest.raises(PermissionDenied):
        move_framework(
            moved_by=request.getfixturevalue(persona),
            enrolment=enrolment,
            framework=_ecs(),
            reason="Agreed",
        )
    assert FrameworkPin.objects.get(enrolment=enrolment).framework.code == "pqs-child-family"


def test_a_move_needs_a_reason_and_changes_nothing_without_one(lead, enrolment):
    with pytest.raises(ValidationError) as refusal:
        move_framework(moved_by=lead, enrolment=enrolment, framework=_ecs(), reason="  ")

    assert refusal.value.message_dict == {
        "reason": ["Say why the enrolment moves to this version."]
    }
    assert FrameworkPin.objects.get(enrolment=enrolment).history.count() == 1


def test_a_framework_the_programme_does_not_use_is_refused(lead, enrolment):
    adults = Framework.objects.get(code="kss-adults")

    with pytest.raises(ValidationError) as refusal:
        move_framework(moved_by=lead, enrolment=enrolment, framework=adults, reason="Agreed")

    assert "is not used by ASYE – child and family" in refusal.value.message_dict["framework"][0]


def test_moving_to_the_version_already_pinned_is_refused(lead, enrolment):
    pqs = enrolment.framework_pin.framework

    with pytest.raises(ValidationError) as refusal:
        move_framework(moved_by=lead, enrolment=enrolment, framework=pqs, reason="Agreed")

    assert refusal.value.message_dict["framework"][0].startswith("The enrolment is already")


def test_an_enrolment_with_no_framework_is_pinned_by_its_first_move(lead):
    enrolment = EnrolmentFactory(cohort=CohortFactory(programme=programme("NQSW")))
    outcomes = Framework.objects.create(
        code="nqsw-outcomes", version="2008", name="NQSW outcomes", effective_from="2008-09-01"
    )
    outcomes.programmes.add(programme("NQSW"))

    move_framework(moved_by=lead, enrolment=enrolment, framework=outcomes, reason="File loaded")

    assert FrameworkPin.objects.get(enrolment=enrolment).framework == outcomes


def test_items_tagged_in_the_pinned_version_need_no_retagging(enrolment):
    EvidenceFactory(enrolment=enrolment)  # tagged with the pinned version's first statement
    EvidenceFactory(enrolment=enrolment, statements=[])  # untagged: nothing to tag again

    assert retagging_needed(enrolment) == []


def test_retagging_shows_a_person_only_the_items_they_may_see(lead, enrolment, mapped):
    draft = EvidenceFactory(
        enrolment=enrolment, status=Evidence.Status.DRAFT, statements=statements_of(enrolment)[2:3]
    )
    move_framework(moved_by=lead, enrolment=enrolment, framework=_ecs(), reason="Agreed")

    assert retagging_needed(enrolment, user=enrolment.worker) == [draft]
    assert retagging_needed(enrolment, user=lead) == []


# --- The page


def _url(enrolment) -> str:
    return reverse("assessments:enrolment-framework", args=[enrolment.pk])


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "manager", "lead"])
def test_everyone_who_sees_the_enrolment_sees_its_version(client, request, enrolment, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_url(enrolment))

    assert response.status_code == 200
    assert "Post-qualifying standards" in response.content.decode()
    assert ("Preview the move" in response.content.decode()) is (persona == "lead")


def test_the_outsider_does_not_find_the_page(client, outsider, enrolment):
    client.force_login(outsider)
    assert client.get(_url(enrolment)).status_code == 404


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "manager"])
def test_only_a_lead_may_post_a_move(client, request, enrolment, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(_url(enrolment), {"framework": _ecs().pk, "reason": "x", "confirm": "1"})

    assert response.status_code == 403
    assert FrameworkPin.objects.get(enrolment=enrolment).framework.code == "pqs-child-family"


def test_a_lead_previews_then_confirms_a_move(client, lead, enrolment, mapped):
    first, _second, third = statements_of(enrolment)[:3]
    EvidenceFactory(enrolment=enrolment, statements=[first], title="Home visit with Sam")
    EvidenceFactory(enrolment=enrolment, statements=[third], title="Child development notes")
    client.force_login(lead)
    body = {"framework": _ecs().pk, "reason": "Cohort agreed to move"}

    preview = client.post(_url(enrolment), body)

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Check what the move does" in page and "Confirm the move" in page
    assert "Home visit with Sam" in page and "1 item has no statement that maps" in page
    assert FrameworkPin.objects.get(enrolment=enrolment).framework.code == "pqs-child-family"

    confirmed = client.post(_url(enrolment), {**body, "confirm": "1"}, follow=True)

    page = confirmed.content.decode()
    assert FrameworkPin.objects.get(enrolment=enrolment).framework == _ecs()
    assert "is now assessed against Child and family social worker early career standards" in page
    assert "Evidence to tag again" in page and "Child development notes" in page


def test_a_move_without_a_reason_shows_the_error_and_changes_nothing(client, lead, enrolment):
    client.force_login(lead)

    response = client.post(_url(enrolment), {"framework": _ecs().pk, "reason": ""})

    page = response.content.decode()
    assert "There is a problem" in page and "Say why the enrolment moves to this version" in page
    assert "<title>Error:" in page
    assert FrameworkPin.objects.get(enrolment=enrolment).framework.code == "pqs-child-family"


def test_the_lead_may_only_choose_a_version_the_programme_uses(client, lead, enrolment):
    client.force_login(lead)
    adults = Framework.objects.get(code="kss-adults")

    response = client.post(_url(enrolment), {"framework": adults.pk, "reason": "x", "confirm": "1"})

    assert "Choose one of the versions listed" in response.content.decode()
    assert FrameworkPin.objects.get(enrolment=enrolment).framework.code == "pqs-child-family"


def test_a_programme_without_a_framework_says_how_to_load_one(client, lead):
    enrolment = EnrolmentFactory(cohort=CohortFactory(programme=programme("NQSW")))
    client.force_login(lead)

    page = client.get(_url(enrolment)).content.decode()

    assert "No framework is loaded for this programme" in page
    assert "No other version is linked to this programme" in page


def test_an_ended_enrolment_keeps_its_version_and_its_page_is_read_only(client, lead):
    ended = EnrolmentFactory(status="completed")
    client.force_login(lead)

    page = client.get(_url(ended)).content.decode()
    refused = client.post(_url(ended), {"framework": _ecs().pk, "reason": "x", "confirm": "1"})

    assert "Preview the move" not in page
    assert refused.status_code == 403
    assert FrameworkPin.objects.get(enrolment=ended).framework.code == "pqs-child-family"
