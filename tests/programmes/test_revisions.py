"""Revision triggers: every write to a record the dashboard reads marks the enrolments it
touches, however it is made, and nothing else does."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Evidence
from people.models import Team, User
from programmes.models import Cohort, Enrolment, EnrolmentRevision
from programmes.models.revisions import SHARED
from programmes.revisions import (
    install_triggers,
    loading_in_bulk,
    tables_with_triggers,
    watched_tables,
)
from programmes.selectors import managed_enrolments
from programmes.selectors.revisions import Revision, revision_of
from tests.assessments.factories import ConcernFactory, EvidenceFactory, statements_of
from tests.factories import EnrolmentFactory, SupervisionActionFactory, SupervisionSessionFactory

# Drawn by the layout around every page, outside the part that is kept.
LAYOUT_ONLY = {"django_session", "people_notification"}


def _mark(enrolment: Enrolment) -> int | None:
    return (
        EnrolmentRevision.objects.filter(enrolment_id=enrolment.pk)
        .values_list("n", flat=True)
        .first()
    )


def _everyone() -> Revision:
    return revision_of(Enrolment.objects.all())


def _tables_read(client, url: str, params: dict[str, str]) -> set[str]:
    tables = set(connection.introspection.table_names())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return {
        name
        for query in queries.captured_queries
        for name in re.findall(r'"(\w+)"', query["sql"])
        if name in tables
    }


def test_every_table_the_dashboard_and_its_figures_read_carries_the_triggers(client, lead):
    # Something of each kind, so every part of both pages reads its table.
    for enrolment in EnrolmentFactory.create_batch(3):
        ConcernFactory(enrolment=enrolment)
        EvidenceFactory(enrolment=enrolment)
        SupervisionActionFactory(session=SupervisionSessionFactory(enrolment=enrolment))
    client.force_login(lead)
    read: set[str] = set()
    for params in ({}, {"attention": "on"}, {"sort": "coverage"}, {"sort": "-supervision"}):
        read |= _tables_read(client, reverse("programmes:dashboard"), params)
    read |= _tables_read(client, reverse("programmes:dashboard-figures"), {})

    assert "programmes_enrolment" in read  # the capture saw the pages' own queries
    assert read - LAYOUT_ONLY <= tables_with_triggers(connection)


def test_installing_again_replaces_the_triggers_rather_than_adding_to_them(db):
    before = tables_with_triggers(connection)
    assert install_triggers(connection) == list(watched_tables())
    assert tables_with_triggers(connection) == before == set(watched_tables())


def test_a_record_of_an_enrolment_marks_that_enrolment_and_no_other(db):
    enrolment, other = EnrolmentFactory.create_batch(2)
    before, other_before = _mark(enrolment), _mark(other)

    SupervisionSessionFactory(enrolment=enrolment)

    assert _mark(enrolment) > before
    assert _mark(other) == other_before


def test_a_record_changes_the_enrolments_records_mark_but_not_its_own(db):
    enrolment = EnrolmentFactory()
    before = _everyone()

    SupervisionSessionFactory(enrolment=enrolment)

    after = _everyone()
    assert after.records > before.records
    assert after.own == before.own


def test_a_change_to_the_enrolment_itself_changes_both_marks(db):
    enrolment = EnrolmentFactory()
    before = _everyone()

    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)

    after = _everyone()
    assert after.own > before.own
    assert after.records > before.records


def test_a_record_found_through_its_parent_marks_the_parents_enrolment(db):
    enrolment = EnrolmentFactory()
    evidence = EvidenceFactory(enrolment=enrolment, statements=[])
    before = _mark(enrolment)

    evidence.statements.add(statements_of(enrolment)[0])

    assert _mark(enrolment) > before


def test_moving_a_record_marks_the_enrolment_it_left_and_the_one_it_joined(db):
    left, joined = EnrolmentFactory.create_batch(2)
    concern = ConcernFactory(enrolment=left)
    marks = _mark(left), _mark(joined)

    type(concern).objects.filter(pk=concern.pk).update(enrolment=joined)

    assert _mark(left) > marks[0]
    assert _mark(joined) > marks[1]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda e: e.supervision_sessions.all().delete(), id="delete"),
        pytest.param(
            lambda e: Evidence.objects.filter(enrolment=e).update(title="Bulk"), id="bulk-update"
        ),
        pytest.param(
            lambda e: connection.cursor().execute(
                "UPDATE supervision_supervisionsession SET minutes = minutes + 1 "
                "WHERE enrolment_id = %s",
                [e.pk],
            ),
            id="raw-sql",
        ),
    ],
)
def test_writes_that_bypass_the_models_still_mark(db, write):
    enrolment = EnrolmentFactory()
    SupervisionSessionFactory(enrolment=enrolment)
    EvidenceFactory(enrolment=enrolment)
    before = _everyone()

    write(enrolment)

    assert _everyone() != before


def test_a_shared_record_changes_every_reader_key(db):
    enrolment = EnrolmentFactory()
    before = _everyone()

    Cohort.objects.filter(pk=enrolment.cohort_id).update(name="Renamed")

    after = _everyone()
    assert after.shared > before.shared
    assert (after.count, after.own, after.records) == (before.count, before.own, before.records)
    assert EnrolmentRevision.objects.get(enrolment_id=SHARED).n == after.shared


def test_signing_in_marks_nothing(client, lead):
    EnrolmentFactory()
    before = _everyone()

    client.force_login(lead)  # stamps last_login
    User.objects.filter(pk=lead.pk).update(last_login=timezone.now())

    assert User.objects.get(pk=lead.pk).last_login is not None
    assert _everyone() == before


def test_renaming_a_person_marks_the_shared_records(db):
    enrolment = EnrolmentFactory()
    before = _everyone()

    User.objects.filter(pk=enrolment.worker_id).update(full_name="A New Name")

    assert _everyone().shared > before.shared


def test_an_enrolment_joining_or_leaving_a_managers_teams_changes_their_key(db):
    enrolment, elsewhere = EnrolmentFactory.create_batch(2)
    manager = enrolment.worker.team.manager
    before = revision_of(managed_enrolments(manager))

    SupervisionSessionFactory(enrolment=elsewhere)
    assert revision_of(managed_enrolments(manager)) == before  # not theirs: nothing changes

    User.objects.filter(pk=elsewhere.worker_id).update(team=enrolment.worker.team)
    joined = revision_of(managed_enrolments(manager))
    assert joined.count == before.count + 1

    Team.objects.filter(pk=enrolment.worker.team_id).update(manager=None)
    assert revision_of(managed_enrolments(manager)).count == 0


def test_the_key_counts_enrolments_with_no_mark_yet(db):
    enrolment = EnrolmentFactory(started_on=date(2026, 1, 5))
    EnrolmentRevision.objects.filter(enrolment_id=enrolment.pk).delete()

    revision = revision_of(Enrolment.objects.filter(pk=enrolment.pk))

    assert (revision.count, revision.own, revision.records) == (1, 0, 0)


def test_a_bulk_load_marks_each_enrolment_once_when_it_ends(db):
    kept = EnrolmentFactory()
    before, kept_before = _everyone(), _mark(kept)

    with loading_in_bulk(connection):
        assert tables_with_triggers(connection) == set()
        loaded = EnrolmentFactory()
        SupervisionSessionFactory(enrolment=loaded)
        assert _mark(loaded) is None  # nothing marked while loading

    assert tables_with_triggers(connection) == set(watched_tables())
    after = _everyone()
    assert after.count == before.count + 1
    assert _mark(loaded) is not None
    assert _mark(kept) > kept_before
    assert after.shared > before.shared


def test_every_enrolment_is_read_from_the_marks_alone_and_agrees_with_the_join(db):
    enrolments = EnrolmentFactory.create_batch(3)
    SupervisionSessionFactory(enrolment=enrolments[0])
    joined = revision_of(Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]))

    with CaptureQueriesContext(connection) as queries:
        alone = revision_of(Enrolment.objects.all())

    assert alone == joined
    assert "JOIN" not in queries.captured_queries[0]["sql"].upper()


def test_deleting_an_enrolment_changes_the_revision_of_every_enrolment(db):
    _kept, deleted = EnrolmentFactory.create_batch(2)
    before = _everyone()

    deleted.delete()

    assert _everyone() != before
