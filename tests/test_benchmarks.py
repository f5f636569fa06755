"""The benchmarks run: their generators and their measurements, at a tiny size.

Timings are not judged here (benchmarks/README.md says how to run it at national scale).
"""

import json
import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Count, F, Max, Min

from benchmarks.caseload_breaches import generate, raw_breaching_enrolments, run
from programmes.models import CaseloadBreach, CaseloadSnapshot, Enrolment
from programmes.services.caseloads import detect_caseload_breaches
from tests.people.celery_worker import BASE_DIR, database_url, require_worker_services

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


@pytest.mark.xdist_group("celery-worker")  # not beside the worker tests: they share the CPUs
def test_the_notification_benchmark_has_real_workers_send_every_row_once(tmp_path):
    redis_url = require_worker_services(connection.vendor)
    # Its own throwaway database, named after the test database, so xdist workers never share.
    bench = {**connection.settings_dict, "NAME": f"{connection.settings_dict['NAME']}_bench"}
    output = tmp_path / "notifications.json"

    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.notifications",
            "--notifications=60",
            "--sample=10",
            f"--database-url={database_url(bench)}",
            f"--redis-url={redis_url}",
            f"--output={output}",
            "--timeout=60",
        ],
        cwd=BASE_DIR,
        check=True,
        timeout=120,
    )

    report = json.loads(output.read_text())
    assert report["delivery"]["rows_by_status"] == {"sent": 60}
    assert report["delivery"]["messages_sent"] == 60
    assert report["delivery"]["sent_twice"] == report["delivery"]["never_sent"] == 0
    assert len(report["delivery"]["sent_by_each_worker_process"]) <= 2
    assert report["queries"]["sample"] == 10
    assert report["targets"]["every_row_sent_once"]


def test_the_dashboard_benchmark_measures_each_page_beside_its_raw_sql(tmp_path):
    # Its own throwaway database: a file beside the test on SQLite, or one named after the test
    # database on PostgreSQL, so xdist workers never share it.
    if connection.vendor == "postgresql":
        bench = {**connection.settings_dict, "NAME": f"{connection.settings_dict['NAME']}_bench_d"}
        url = database_url(bench)
    else:
        url = f"sqlite:///{tmp_path / 'footing_bench.sqlite3'}"
    output = tmp_path / "dashboard.json"

    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.dashboard",
            "--enrolments=60",
            "--cohort=5",
            "--runs=2",
            "--concurrency=2",
            "--workers=1",
            f"--database-url={url}",
            f"--output={output}",
            "--cache-url=",  # each process's memory: the run empties its cache first
        ],
        cwd=BASE_DIR,
        check=True,
        timeout=300,
    )

    report = json.loads(output.read_text())
    for way in ("worked_out", "kept"):
        pages = report["pages"][way]
        assert pages["cohort"]["rows_matching"] == 5
        assert pages["programme_wide"]["rows_matching"] == 60
        assert pages["programme_wide"]["rows_shown"] == 50
    # Served from the cache, a page sends only its key's queries and the layout's.
    kept, worked_out = report["pages"]["kept"], report["pages"]["worked_out"]
    assert kept["cohort"]["queries"] < worked_out["cohort"]["queries"]
    assert set(report["concurrent"]) == {
        "cohort_kept",
        "cohort_kept_rewritten_each_second",
        "cohort_worked_out",
        "layout",
    }
    assert report["generated"]["supervision_sessions"] > 0
    assert report["generated"]["evidence"] > 0
    assert report["targets"]["same_queries_for_one_team_and_everyone"]
    for concurrent in report["concurrent"].values():
        assert concurrent["requests"] == 4 and concurrent["not_200"] == []  # 2 clients, 2 each
        # Read from /proc on Linux; two requests may take under a clock tick, so not > 0.
        assert all(spent >= 0 for spent in concurrent["cpu_seconds_a_request"].values())
    if connection.vendor == "postgresql":
        assert worked_out["cohort"]["raw_sql"]["shown"] == 5
        assert worked_out["programme_wide_needing_attention"]["raw_sql"]["judged"] == 60
        assert any(label.startswith("kept, ") for label in report["query_plans"])
        assert any(label.startswith("worked out, ") for label in report["query_plans"])
