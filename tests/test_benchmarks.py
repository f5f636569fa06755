"""The caseload-breach benchmark runs: its generator and its measurement, at a tiny size.

Timings are not judged here (benchmarks/README.md says how to run it at national scale).
"""

from datetime import date, timedelta

import pytest
from django.db.models import Count, F, Max, Min

from benchmarks.caseload_breaches import generate, raw_breaching_enrolments, run
from programmes.models import CaseloadBreach, CaseloadSnapshot, Enrolment
from programmes.services.caseloads import detect_caseload_breaches

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 23)


def test_the_generator_gives_each_enrolment_weekly_figures_from_its_start_up_to_the_day():
    generated = generate(enrolments=20, weeks=4, on=ON)

    assert generated.enrolments == Enrolment.objects.current().count() == 20
    assert generated.snapshots == CaseloadSnapshot.objects.count()
    per_enrolment = Enrolment.objects.annotate(
        figures=Count("caseload_snapshots"),
        first_on=Min("caseload_snapshots__as_of"),
        latest_on=Max("caseload_snapshots__as_of"),
    )
    for enrolment in per_enrolment:
        assert 1 <= enrolment.figures <= 4
        assert enrolment.started_on <= enrolment.first_on
        assert ON - timedelta(days=6) <= enrolment.latest_on <= ON
        assert enrolment.latest_on - enrolment.first_on == timedelta(weeks=enrolment.figures - 1)
    assert not CaseloadSnapshot.objects.filter(child_protection_cases__gt=F("open_cases")).exists()


def test_the_raw_query_finds_the_enrolments_detection_opens_breaches_for():
    generate(enrolments=200, weeks=2, on=ON)

    opened = detect_caseload_breaches(on=ON).opened

    assert opened, "a few percent of the generated caseloads are over the cap"
    assert raw_breaching_enrolments(ON) == {breach.enrolment_id for breach in opened}


def test_a_run_at_two_sizes_reports_the_same_queries_and_the_same_breaches_as_the_raw_query():
    report = run(sizes=(60, 120), weeks=2, on=ON, runs=1)

    small, large = report["sizes"]
    assert (small["enrolments"], large["enrolments"]) == (60, 120)
    assert small["breaches_opened"] > 0  # so both sizes insert breaches and their history
    assert small["detect"]["queries_opening"] == large["detect"]["queries_opening"]
    assert small["detect"]["queries_nothing_new"] == large["detect"]["queries_nothing_new"]
    assert large["detect"]["nothing_new_opened"] == 0
    assert report["targets"]["same_query_count_at_every_size"]
    assert report["targets"]["same_enrolments_as_raw_query"]
    assert large["breaches_open_after"] == CaseloadBreach.objects.unresolved().count()
    assert report["machine"]["database"]["vendor"] in {"postgresql", "sqlite"}
