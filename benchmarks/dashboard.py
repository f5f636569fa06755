"""How fast the cohort dashboard answers at national scale, next to raw SQL for the same figures.

    .venv/bin/python -m benchmarks.dashboard [--enrolments 9000] [--cohort 150]
        [--database-url postgres://postgres@127.0.0.1:5432/footing_bench_dashboard] [--keep]
        [--cache-url redis://127.0.0.1:6379/14]
        [--output benchmarks/results/dashboard.json]

Creates the database named in --database-url afresh (its name must contain "bench"), migrates
it, and generates one authority's year: active enrolments on the seeded programmes, a caseload
figure a day, fortnightly supervision, about sixty evidence items a year tagged to the pinned
framework's statements, reviews at their review points, protected-time entries each week, a few
open concerns, and the breaches detection opens on the day. One cohort is made `--cohort` large.

Then, signed in as a programme lead, it asks for the dashboard through the Django test client
(the cohort, everyone, and both narrowed to "needs attention"), each page worked out on every
request and kept in the cache (`--cache-url`) as deployed: server time (median and p95 of
repeated requests) and the queries each sends; then the cohort page through gunicorn on
loopback with `--concurrency` clients at once: kept, kept while a session of the cohort is
written every second, and worked out. Next to each, one raw SQL statement that works out the
same figures for the same rows. Results go to a JSON file, a short table to stdout.
Generating the data is not part of any measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

from benchmarks import caseload_breaches as base

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/footing_bench_dashboard"
# A database of its own on the machine's Redis: the run empties it first.
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/14"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "dashboard.json"
BASE_DIR = Path(__file__).resolve().parent.parent

SESSION_EVERY_DAYS = 14
LAPSED_SHARE = 0.08  # supervision stopped 6–11 weeks ago: overdue on the day
EVIDENCE_EVERY_DAYS = 6  # about sixty items a year
EVIDENCE_STATUS_WEIGHTS = {"signed-off": 80, "submitted": 8, "draft": 8, "returned": 4}
AWAITING_WITHIN_DAYS = 21
REVIEW_HELD_SHARE = 0.9
CONCERN_SHARE = 0.02
SHORT_PROTECTED_TIME_SHARE = 0.15
LEARNING_AGREEMENT_SHARE = 0.95
PER_PAGE = 50  # programmes.views.dashboard.ROWS_PER_PAGE
MEASURED_COHORT = "Benchmark ASYE cohort measured"
LAYOUT_PAGE = "/accessibility/"  # signed in: the header, navigation and unread count, no figures
TARGETS = {"cohort_p95_seconds": 0.150, "programme_wide_seconds": 0.300, "raw_ratio": 3.0}


def _say(message: str) -> None:
    base._say(message)


# --- Generating a year of everything the dashboard reads.


def _insert(model, rows: Sequence[dict[str, Any]]) -> None:
    """Rows of `model` by COPY (PostgreSQL) or one executemany (SQLite); fields not given take
    their model default, so the rows are what the app itself would have written."""
    from django.db import connection
    from django.db.models import JSONField

    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and "id" not in rows[0])]
    defaults = {f.attname: f.get_default() for f in fields}

    def value(field, row):
        return row.get(field.attname, defaults[field.attname])

    def copied(field, row):
        found = value(field, row)
        return json.dumps(found) if isinstance(field, JSONField) else found

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([copied(f, row) for f in fields])
            return
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608 (names only)
            [[f.get_db_prep_value(value(f, row), connection) for f in fields] for row in rows],
        )


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_sequence(model) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


def generate(*, enrolments: int, cohort: int, on: date, seed: int = 11) -> dict[str, Any]:
    """The caseload benchmark's country with a figure a day, and then the rest of a year."""
    from django.db import connection, transaction

    from programmes.revisions import loading_in_bulk

    started = time.perf_counter()
    snapshots = base.generate(
        enrolments=enrolments, weeks=365, days_apart=1, on=on, seed=seed
    ).snapshots
    with loading_in_bulk(connection), transaction.atomic():
        counts = _populate(cohort=cohort, on=on, seed=seed)
    from programmes.services.caseloads import detect_caseload_breaches

    counts["breaches"] = len(detect_caseload_breaches(on=on).opened)
    base._analyze()
    return {
        "enrolments": enrolments,
        "caseload_snapshots": snapshots,
        **counts,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _populate(*, cohort: int, on: date, seed: int) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from assessments.models import (
        Concern,
        Evidence,
        EvidenceStatement,
        FrameworkPin,
        Review,
        Statement,
    )
    from assessments.selectors import frameworks_for
    from people.models import Team, User
    from programmes import rules
    from programmes.models import Cohort, Enrolment, EnrolmentDocument, ProtectedTimeEntry
    from supervision.models import SupervisionSession

    rng = random.Random(seed)
    moment = timezone.make_aware(datetime.combine(on, datetime.min.time()))
    unusable = make_password(None)
    teams = list(Team.objects.order_by("pk"))
    assessors = User.objects.bulk_create(
        [
            User(
                email=f"assessor-{team.pk}@bench.example",
                full_name=f"Assessor {team.pk}",
                password=unusable,
                team=team,
            )
            for team in teams
        ]
    )
    assessor_of_team = {
        team.pk: assessor.pk for team, assessor in zip(teams, assessors, strict=True)
    }
    enrolments = list(
        Enrolment.objects.select_related("cohort__programme", "worker").order_by("pk")
    )
    for enrolment in enrolments:
        enrolment.assessor_id = assessor_of_team[enrolment.worker.team_id]
    # One cohort of the asked size: the biggest ASYE cohort, topped up from others on the same
    # programme, or its surplus moved to a cohort of its own.
    biggest = max(
        Cohort.objects.filter(programme__code="ASYE-CF"), key=lambda c: c.enrolments.count()
    )
    members = [e for e in enrolments if e.cohort_id == biggest.pk]
    others = [
        e
        for e in enrolments
        if e.cohort.programme_id == biggest.programme_id and e.cohort_id != biggest.pk
    ]
    others.sort(key=lambda e: abs(e.started_on - biggest.intake_on))
    if len(members) > cohort:
        surplus = Cohort.objects.create(
            programme_id=biggest.programme_id,
            name=f"{biggest.name} (second group)",
            intake_on=biggest.intake_on,
        )
        for enrolment in members[cohort:]:
            enrolment.cohort = surplus
    for enrolment in others[: max(0, cohort - len(members))]:
        enrolment.cohort = biggest
    biggest.name = MEASURED_COHORT
    biggest.save(update_fields=["name"])
    Enrolment.objects.bulk_update(enrolments, ["assessor", "cohort"], batch_size=2000)

    frameworks = frameworks_for(enrolments)
    FrameworkPin.objects.bulk_create(
        [
            FrameworkPin(enrolment=e, framework=frameworks[e.pk])
            for e in enrolments
            if frameworks[e.pk] is not None
        ],
        batch_size=2000,
    )
    statements: dict[int, list[int]] = {}
    for statement_id, framework_id in Statement.objects.values_list("pk", "standard__framework_id"):
        statements.setdefault(framework_id, []).append(statement_id)

    year_ago = on - timedelta(days=365)
    sessions, evidence, tags, reviews, concerns, entries, documents = [], [], [], [], [], [], []
    evidence_id = _next_id(Evidence)
    kinds = [kind.value for kind in Evidence.Kind]
    statuses, weights = zip(*EVIDENCE_STATUS_WEIGHTS.items(), strict=True)
    for enrolment in enrolments:
        begins = max(enrolment.started_on, year_ago)
        last_session = (
            on - timedelta(days=rng.randint(42, 80)) if rng.random() < LAPSED_SHARE else on
        )
        day = begins + timedelta(days=rng.randint(0, 13))
        while day <= last_session:
            sessions.append(
                {
                    "enrolment_id": enrolment.pk,
                    "supervisor_id": enrolment.supervisor_id,
                    "held_on": day,
                    "minutes": 90,
                    "kind": SupervisionSession.Kind.ONE_TO_ONE.value,
                    "notes": "Cases, workload and learning discussed.",
                    "counts_towards_cadence": True,
                    "status": SupervisionSession.Status.COUNTERSIGNED.value,
                    "supervisor_signed_at": moment,
                    "worker_signed_at": moment,
                    "created_at": moment,
                }
            )
            day += timedelta(days=SESSION_EVERY_DAYS + rng.randint(-3, 3))
        own = statements.get(frameworks[enrolment.pk].pk, []) if frameworks[enrolment.pk] else []
        day = begins + timedelta(days=rng.randint(0, EVIDENCE_EVERY_DAYS))
        while day <= on:
            status = rng.choices(statuses, weights)[0]
            if status == "submitted" and day < on - timedelta(days=AWAITING_WITHIN_DAYS):
                status = "signed-off"  # assessors keep up: only recent items still wait
            submitted = status != "draft"
            submitted_at = timezone.make_aware(
                datetime.combine(min(day + timedelta(days=2), on), datetime.min.time())
            )
            evidence.append(
                {
                    "id": evidence_id,
                    "enrolment_id": enrolment.pk,
                    "author_id": enrolment.worker_id,
                    "kind": rng.choice(kinds),
                    "title": "A piece of practice",
                    "occurred_on": day,
                    "what_happened": "What happened on the visit.",
                    "status": status,
                    "submitted_at": submitted_at if submitted else None,
                    "times_submitted": 1 if submitted else 0,
                    "created_at": moment,
                    "updated_at": moment,
                }
            )
            # A programme with no framework in the library yet: its evidence is tagged to none.
            for statement_id in rng.sample(own, k=min(len(own), rng.randint(1, 3))):
                tags.append({"evidence_id": evidence_id, "statement_id": statement_id})
            evidence_id += 1
            day += timedelta(days=EVIDENCE_EVERY_DAYS + rng.randint(-2, 2))
        programme = enrolment.cohort.programme
        for months in programme.review_points_months:
            due_on = rules.add_months(enrolment.started_on, months)
            if due_on < on and rng.random() < REVIEW_HELD_SHARE:
                reviews.append(
                    Review(
                        enrolment=enrolment,
                        months=months,
                        held_on=max(
                            enrolment.started_on, due_on - timedelta(days=rng.randint(0, 7))
                        ),
                        attendees="Worker, supervisor, assessor",
                        progress="on-track",
                        summary="Progressing as planned.",
                        recorded_by_id=enrolment.supervisor_id,
                    )
                )
        if rng.random() < CONCERN_SHARE:
            concerns.append(
                Concern(
                    enrolment=enrolment,
                    opened_by_id=enrolment.assessor_id,
                    opened_on=on - timedelta(days=20),
                    reason="Recording is falling behind.",
                    action_plan="Weekly recording time agreed.",
                    review_on=on + timedelta(days=10),
                )
            )
        if rng.random() < LEARNING_AGREEMENT_SHARE:
            documents.append(
                {
                    "enrolment_id": enrolment.pk,
                    "kind": EnrolmentDocument.Kind.LEARNING_AGREEMENT.value,
                    "title": "Learning agreement",
                    "file": "documents/learning-agreement.pdf",
                    "content_type": "application/pdf",
                    "size_bytes": 120_000,
                    "uploaded_by_id": enrolment.supervisor_id,
                    "uploaded_at": moment,
                }
            )
        hours = Decimal("2.0") if rng.random() < SHORT_PROTECTED_TIME_SHARE else Decimal("4.0")
        day = begins
        while day <= on:
            entries.append(
                {
                    "enrolment_id": enrolment.pk,
                    "on": day,
                    "hours": hours,
                    "kind": ProtectedTimeEntry.Kind.STUDY.value,
                    "recorded_by_id": enrolment.supervisor_id,
                    "recorded_at": moment,
                }
            )
            day += timedelta(days=7)
    _insert(SupervisionSession, sessions)
    _insert(Evidence, evidence)
    _reset_sequence(Evidence)
    _insert(EvidenceStatement, tags)
    _insert(ProtectedTimeEntry, entries)
    _insert(EnrolmentDocument, documents)
    Review.objects.bulk_create(reviews, batch_size=2000)
    Concern.objects.bulk_create(concerns, batch_size=2000)
    return {
        "cohort_size": cohort,
        "supervision_sessions": len(sessions),
        "evidence": len(evidence),
        "evidence_statements": len(tags),
        "reviews": len(reviews),
        "open_concerns": len(concerns),
        "protected_time_entries": len(entries),
        "learning_agreements": len(documents),
        "framework_pins": sum(1 for f in frameworks.values() if f is not None),
    }


# --- Measuring.


# Seconds a connection is kept between requests, as deployed (.env.example, config/settings.py):
# a page measured on a new connection each time pays PostgreSQL's start of a backend, which
# the raw SQL beside it, on one connection, does not.
CONN_MAX_AGE = 60


def configure_django(database_url: str, *, cache_url: str = "") -> None:
    """The caseload benchmark's settings, served over plain HTTP on loopback as well, with
    connections kept between requests as deployed, and pages kept in `cache_url`'s Redis (in
    each process's memory when empty)."""
    if cache_url:
        os.environ["REDIS_URL"] = cache_url
    else:
        os.environ.pop("REDIS_URL", None)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["SECURE_COOKIES"] = "false"
    os.environ["REQUIRE_2FA"] = "false"
    base.configure_django(database_url, conn_max_age=CONN_MAX_AGE)


def _reader(role: str, *, team=None):
    from django.contrib.auth.hashers import make_password

    from people.models import RoleMembership, User

    person, _created = User.objects.get_or_create(
        email=f"{role}-reader@bench.example",
        defaults={"full_name": f"Benchmark {role}", "password": make_password(None), "team": team},
    )
    RoleMembership.objects.get_or_create(user=person, role=role)
    return person


def pages(cohort_id: int) -> dict[str, str]:
    """The pages measured, by name: a cohort, everyone, and each narrowed to who needs attention."""
    return {
        "cohort": f"/dashboard/?cohort={cohort_id}",
        "cohort_needing_attention": f"/dashboard/?cohort={cohort_id}&attention=on",
        "programme_wide": "/dashboard/",
        "programme_wide_needing_attention": "/dashboard/?attention=on",
    }


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _summary(seconds: Sequence[float]) -> dict[str, float]:
    return {
        "requests": len(seconds),
        "median_seconds": round(statistics.median(seconds), 4),
        "p95_seconds": round(_percentile(seconds, 0.95), 4),
        "min_seconds": round(min(seconds), 4),
    }


def measure_page(client, url: str, *, runs: int) -> dict[str, Any]:
    """Server time through the test client (no network), and the queries one request sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm: templates compiled, programmes' rules decoded
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}, not 200")
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        seconds.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    sql_seconds = sum(float(query["time"]) for query in queries.captured_queries)
    page = response.content.decode()
    matching = re.search(r"([\d,]+) enrolments?</caption>", page)
    return {
        "url": url,
        "rows_shown": page.count('<tr class="govuk-table__row">') - 1,  # less the header row
        "rows_matching": int(matching.group(1).replace(",", "")) if matching else 0,
        **_summary(seconds),
        "queries": len(queries),
        "sql_seconds_in_one_request": round(sql_seconds, 4),
    }


# --- The raw SQL floor: the same figures for the same rows, in one statement each.

# Which enrolments a page shows, and how many match: the lead's view, by name.
RAW_PAGE = """
SELECT e.id, count(*) OVER () AS matching
FROM programmes_enrolment e JOIN people_user w ON w.id = e.worker_id
WHERE (%(cohort)s::bigint IS NULL OR e.cohort_id = %(cohort)s)
ORDER BY w.full_name, e.id
LIMIT %(limit)s
"""

# What judging an enrolment needs: its last sessions, counts of open actions and drafts, its
# pauses and extensions, a learning agreement on file, last month's protected time, its
# unresolved breaches, the review points recorded, open concerns, evidence awaiting sign-off.
RAW_ATTENTION = """
SELECT e.id, e.started_on, e.fte, e.status, p.code,
    (SELECT max(s.held_on) FROM supervision_supervisionsession s
        WHERE s.enrolment_id = e.id AND s.counts_towards_cadence AND s.status <> 'draft'
        AND s.held_on <= %(on)s) AS last_held_on,
    (SELECT s.held_on::text || s.is_short::text FROM supervision_supervisionsession s
        WHERE s.enrolment_id = e.id AND s.status <> 'draft' AND s.held_on <= %(on)s
        ORDER BY s.held_on DESC, s.id DESC LIMIT 1) AS last_session,
    (SELECT count(*) FROM supervision_supervisionaction a
        JOIN supervision_supervisionsession s ON s.id = a.session_id
        WHERE s.enrolment_id = e.id AND a.done_on IS NULL AND s.status <> 'draft') AS actions,
    (SELECT count(*) FROM supervision_supervisionsession s
        WHERE s.enrolment_id = e.id AND s.status = 'draft') AS drafts,
    (SELECT json_agg(json_build_array(x.starts_on, x.ends_on) ORDER BY x.starts_on)
        FROM programmes_enrolmentpause x WHERE x.enrolment_id = e.id) AS pauses,
    (SELECT coalesce(sum(x.weeks), 0) FROM programmes_enrolmentextension x
        WHERE x.enrolment_id = e.id) AS extension_weeks,
    EXISTS (SELECT 1 FROM programmes_enrolmentdocument d
        WHERE d.enrolment_id = e.id AND d.kind = 'learning-agreement') AS has_agreement,
    (SELECT coalesce(sum(t.hours), 0) FROM programmes_protectedtimeentry t
        WHERE t.enrolment_id = e.id AND t."on" BETWEEN %(month_start)s AND %(month_end)s)
        AS protected_hours,
    (SELECT json_agg(json_build_array(b.status, b.detected_on) ORDER BY b.detected_on)
        FROM programmes_caseloadbreach b
        WHERE b.enrolment_id = e.id AND b.status <> 'resolved') AS breaches,
    (SELECT array_agg(r.months) FROM assessments_review r WHERE r.enrolment_id = e.id) AS reviews,
    (SELECT count(*) FROM assessments_concern c
        WHERE c.enrolment_id = e.id AND c.status = 'open') AS concerns,
    (SELECT json_build_array(count(*), min(v.submitted_at)) FROM assessments_evidence v
        WHERE v.enrolment_id = e.id AND v.status = 'submitted') AS awaiting
FROM programmes_enrolment e
JOIN programmes_cohort co ON co.id = e.cohort_id
JOIN programmes_programme p ON p.id = co.programme_id
WHERE e.id = ANY(%(ids)s)
"""

# What a shown row adds: names, and coverage of the pinned framework's statements by
# signed-off evidence (statements evidenced, and triangulated by enough kinds of evidence).
RAW_SHOWN = """
SELECT e.id, w.full_name, tm.name, co.name, p.code,
    (SELECT count(*) FROM assessments_statement st
        JOIN assessments_standard sd ON sd.id = st.standard_id
        WHERE sd.framework_id = pin.framework_id) AS statements,
    (SELECT count(*) FROM (
        SELECT es.statement_id, count(DISTINCT v.kind) AS kinds
        FROM assessments_evidencestatement es
        JOIN assessments_evidence v ON v.id = es.evidence_id
        JOIN assessments_statement st ON st.id = es.statement_id
        JOIN assessments_standard sd ON sd.id = st.standard_id
        WHERE v.enrolment_id = e.id AND v.status = 'signed-off'
            AND sd.framework_id = pin.framework_id
        GROUP BY es.statement_id
    ) covered) AS evidenced,
    (SELECT json_object_agg(k.kind, k.n) FROM (
        SELECT v.kind, count(*) AS n FROM assessments_evidence v
        WHERE v.enrolment_id = e.id AND v.status = 'signed-off' GROUP BY v.kind
    ) k) AS kinds
FROM programmes_enrolment e
JOIN people_user w ON w.id = e.worker_id
LEFT JOIN people_team tm ON tm.id = w.team_id
JOIN programmes_cohort co ON co.id = e.cohort_id
JOIN programmes_programme p ON p.id = co.programme_id
LEFT JOIN assessments_frameworkpin pin ON pin.enrolment_id = e.id
WHERE e.id = ANY(%(ids)s)
"""


def _raw_parameters(on: date) -> dict[str, date]:
    month_end = on.replace(day=1) - timedelta(days=1)
    return {"on": on, "month_start": month_end.replace(day=1), "month_end": month_end}


def raw_floor(*, on: date, cohort_id: int | None, needs_attention: bool, per_page: int):
    """Seconds for the raw statements that give a page's figures, and the rows they read.

    By name: the page's enrolments and the count, then what judging and showing those rows
    needs. Narrowed to who needs attention: what judging needs for every matching enrolment,
    then what showing the page's rows adds (the judgement itself is the programme's rules,
    which live in Python, not in SQL)."""
    from django.db import connection

    parameters = _raw_parameters(on)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            RAW_PAGE, {"cohort": cohort_id, "limit": None if needs_attention else per_page}
        )
        found = cursor.fetchall()
        everyone = [row[0] for row in found]
        shown = everyone[:per_page]
        cursor.execute(RAW_ATTENTION, {**parameters, "ids": everyone if needs_attention else shown})
        judged = len(cursor.fetchall())
        cursor.execute(RAW_SHOWN, {**parameters, "ids": shown})
        cursor.fetchall()
    return time.perf_counter() - started, {"judged": judged, "shown": len(shown)}


def measure_raw(
    *, on: date, cohort_id: int | None, needs_attention: bool, runs: int
) -> dict[str, Any] | None:
    """The raw floor's median and p95 (PostgreSQL only: the statements use its arrays and JSON)."""
    if not _on_postgresql():
        return None
    raw_floor(on=on, cohort_id=cohort_id, needs_attention=needs_attention, per_page=PER_PAGE)
    seconds = []
    for _ in range(runs):
        took, rows = raw_floor(
            on=on, cohort_id=cohort_id, needs_attention=needs_attention, per_page=PER_PAGE
        )
        seconds.append(took)
    return {**rows, **_summary(seconds)}


def query_plans(*, on: date, cohort_id: int) -> dict[str, list[str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the queries the cohort page sends, slowest first: worked
    out, then served from the cache (its key's two revisions)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from people.models import Role

    client = Client()
    client.force_login(_reader(Role.LEAD))
    url = pages(cohort_id)["cohort"]
    plans = {}
    for label, keep in (("worked out", False), ("kept", True)):
        with _keeping(keep):
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
        slowest = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))
        with connection.cursor() as cursor:
            for query in slowest[:8]:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith(("SELECT", "(SELECT")):  # "(SELECT…": union
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plans[f"{label}, {query['time']} s: {base._query_label(sql)}"] = [
                    row[0] for row in cursor.fetchall()
                ]
    return plans


@contextmanager
def _keeping(keep: bool):
    """The pages kept in the cache until what they read changes (as deployed), or worked out
    on every request."""
    from django.conf import settings

    kept = settings.DASHBOARD_CACHE_SECONDS
    settings.DASHBOARD_CACHE_SECONDS = kept if keep else 0
    try:
        yield
    finally:
        settings.DASHBOARD_CACHE_SECONDS = kept


# --- Many readers at once, through gunicorn on loopback.


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _session_cookie(person) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(person)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def measure_concurrent(
    *,
    url: str,
    cookie: str,
    concurrency: int,
    requests_each: int,
    workers: int,
    keep: bool = True,
    rewrite_every: float | None = None,
    rewrite_in: int | None = None,
) -> dict[str, Any]:
    """`concurrency` clients, each sending `requests_each` requests one after another, to
    gunicorn's `workers` processes: the time from sending to the last byte of each answer.

    `keep`: pages kept in the cache until what they read changes, as deployed; without it,
    every request works its page out. `rewrite_every` seconds while the clock runs, one
    supervision session of someone in cohort `rewrite_in` is written again: each write
    changes that cohort's revision, so the next request works the page out again."""
    port = _free_port()
    environment = {
        **os.environ,
        "DASHBOARD_CACHE_SECONDS": os.environ.get("DASHBOARD_CACHE_SECONDS", "600")
        if keep
        else "0",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
            f"--backlog={max(64, concurrency * 2)}",
        ],
        cwd=BASE_DIR,
        env=environment,
    )
    try:
        _wait_for(port, server)
        # Each worker is slow on its first requests (templates compiled, modules imported):
        # warm them all with a burst of the same clients before the clock starts.
        warming = [
            threading.Thread(target=lambda: [_get(port, url, cookie) for _ in range(3)])
            for _ in range(max(concurrency, workers))
        ]
        for thread in warming:
            thread.start()
        for thread in warming:
            thread.join()
        seconds: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def client() -> None:
            for _ in range(requests_each):
                started = time.perf_counter()
                status = _get(port, url, cookie)
                took = time.perf_counter() - started
                with lock:
                    seconds.append(took)
                    if status != 200:
                        failures.append(str(status))

        threads = [threading.Thread(target=client) for _ in range(concurrency)]
        stop = threading.Event()
        writes: list[int] = []
        writer = threading.Thread(
            target=_rewrite_sessions, args=(rewrite_in, rewrite_every, stop, writes)
        )
        app_before, database_before = _cpu_seconds(_children(server.pid)), _postgres_cpu()
        started = time.perf_counter()
        if rewrite_every:
            writer.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        stop.set()
        if rewrite_every:
            writer.join()
        app_cpu = _cpu_seconds(_children(server.pid)) - app_before
        database_cpu = _postgres_cpu() - database_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    done = len(seconds)
    return {
        "url": url,
        "concurrency": concurrency,
        "gunicorn_workers": workers,
        "kept_in_cache": keep,
        "sessions_rewritten_in_the_cohort": len(writes),
        "seconds_between_rewrites": rewrite_every,
        **_summary(seconds),
        "requests_a_second": round(done / wall, 1),
        # What each request cost the machine's processors while they were all busy: together
        # these bound the requests a second two cores can serve, whatever the clients do.
        "cpu_seconds_a_request": {
            "gunicorn_workers": round(app_cpu / done, 4) if done and _HAS_PROC else None,
            "postgresql": round(database_cpu / done, 4) if done and _HAS_PROC else None,
        },
        "not_200": failures,
    }


def _rewrite_sessions(
    cohort_id: int | None, every: float | None, stop: threading.Event, writes: list[int]
) -> None:
    """Writes one supervision session of the cohort again every `every` seconds until `stop`:
    what recording or amending a session does to the revision of the pages that show it."""
    if not every:
        return
    from django.db import connection
    from django.db.models import F

    from supervision.models import SupervisionSession

    try:
        sessions = list(
            SupervisionSession.objects.filter(enrolment__cohort_id=cohort_id).values_list(
                "pk", flat=True
            )
        )
        chosen = random.Random(5)
        while not stop.wait(every):
            SupervisionSession.objects.filter(pk=chosen.choice(sessions)).update(
                minutes=F("minutes")
            )
            writes.append(1)
    finally:
        connection.close()  # this thread's own connection


# Processor time is read from /proc (Linux); elsewhere it is left out, as None.
_HAS_PROC = Path("/proc/self/stat").exists()
_TICKS = os.sysconf("SC_CLK_TCK") if _HAS_PROC else 100


def _proc_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name sits in brackets and may hold spaces: the fields follow the last ")".
    return [text[: text.rindex(")") + 1], *text[text.rindex(")") + 2 :].split()]


def _cpu_seconds(pids: Sequence[int]) -> float:
    """User and system time of these processes so far (utime and stime, fields 14 and 15)."""
    total = 0
    for pid in pids:
        fields = _proc_stat(pid)
        if fields is not None:
            total += int(fields[12]) + int(fields[13])
    return total / _TICKS


def _all_pids() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def _children(parent: int) -> list[int]:
    """Gunicorn's worker processes: those whose parent (field 4) is the server."""
    if not _HAS_PROC:
        return []
    found = []
    for pid in _all_pids():
        fields = _proc_stat(pid)
        if fields is not None and int(fields[2]) == parent:
            found.append(pid)
    return found


def _postgres_cpu() -> float:
    """Every PostgreSQL process on this machine, backends and background workers alike."""
    if not _HAS_PROC:
        return 0.0
    return _cpu_seconds(
        [pid for pid in _all_pids() if (_proc_stat(pid) or [""])[0].endswith("(postgres)")]
    )


def _get(port: int, url: str, cookie: str) -> int:
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped with exit code {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start within a minute")


def run(*, generated: dict[str, Any], on: date, options: argparse.Namespace) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client

    from people.models import Role

    cache.clear()  # the benchmark's own cache (--cache-url): no page kept by an earlier run
    cohort_id = _measured_cohort_id()
    lead = _reader(Role.LEAD)
    client = Client()
    client.force_login(lead)
    measured: dict[str, dict[str, Any]] = {"worked_out": {}, "kept": {}}
    for name, url in pages(cohort_id).items():
        raw = measure_raw(
            on=on,
            cohort_id=cohort_id if name.startswith("cohort") else None,
            needs_attention=name.endswith("needing_attention"),
            runs=options.runs,
        )
        for way, keep in (("worked_out", False), ("kept", True)):
            _say(f"Measuring {name}, {way.replace('_', ' ')}…")
            with _keeping(keep):
                page = measure_page(client, url, runs=options.runs)
            page["raw_sql"] = raw
            page["ratio_to_raw_sql"] = (
                round(page["median_seconds"] / raw["median_seconds"], 2) if raw else None
            )
            measured[way][name] = page
            _say(f"  {page}")
    concurrent: dict[str, Any] = {}
    if options.concurrency:
        cohort_page = pages(cohort_id)["cohort"]
        loads = {
            # As deployed: kept until something the page reads changes.
            "cohort_kept": {"url": cohort_page},
            # The same, while a session of someone in the cohort is written every second.
            "cohort_kept_rewritten_each_second": {
                "url": cohort_page,
                "rewrite_every": 1.0,
                "rewrite_in": cohort_id,
            },
            # Every request works the page out: the first view after each change.
            "cohort_worked_out": {"url": cohort_page, "keep": False},
            # A signed-in page that draws the layout and no figures: what any page costs here.
            "layout": {"url": LAYOUT_PAGE},
        }
        for name, load in loads.items():
            _say(f"Measuring {name} with {options.concurrency} clients at once…")
            concurrent[name] = measure_concurrent(
                **load,
                cookie=_session_cookie(lead),
                concurrency=options.concurrency,
                requests_each=options.runs,
                workers=options.workers,
            )
            _say(f"  {concurrent[name]}")
    kept, worked_out = measured["kept"], measured["worked_out"]
    # The same page for a manager of one small team: what they may see is all it shows.
    manager = _manager_of(_smallest_team_id())
    small_client = Client()
    small_client.force_login(manager)
    with _keeping(False):
        small = measure_page(small_client, "/dashboard/", runs=1)
    cohort_p95 = TARGETS["cohort_p95_seconds"]
    return {
        "benchmark": "dashboard",
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": base.machine(),
        "parameters": {
            "on": on.isoformat(),
            "runs": options.runs,
            "concurrency": options.concurrency,
            "gunicorn_workers": options.workers,
            "cache": _cache_backend(),
        },
        "generated": generated,
        "pages": measured,
        "concurrent": concurrent,
        "one_team_page": small,
        "targets": {
            "cohort_p95_under_150_ms_with_16_clients": {
                name: concurrent[name]["p95_seconds"] < cohort_p95
                for name in (
                    "cohort_kept",
                    "cohort_kept_rewritten_each_second",
                    "cohort_worked_out",
                )
                if name in concurrent
            },
            "programme_wide_under_300_ms": {
                way: pages_measured["programme_wide"]["median_seconds"]
                < TARGETS["programme_wide_seconds"]
                for way, pages_measured in measured.items()
            },
            "within_3x_of_raw_sql": {
                f"{name}, {way.replace('_', ' ')}": (page["ratio_to_raw_sql"] or 99)
                <= TARGETS["raw_ratio"]
                for way, pages_measured in (("worked_out", worked_out), ("kept", kept))
                for name, page in pages_measured.items()
                if name in ("cohort", "programme_wide")
            },
            "same_queries_for_one_team_and_everyone": small["queries"]
            == worked_out["programme_wide"]["queries"],
        },
        "query_plans": query_plans(on=on, cohort_id=cohort_id) if _on_postgresql() else {},
    }


def _cache_backend() -> str:
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def _on_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def _smallest_team_id() -> int:
    """The smallest team with someone not yet pinned to a framework, as in the whole country:
    coverage asks one more query when anyone on the page is unpinned (`coverage_for`)."""
    from django.db.models import Count, Q

    from people.models import Team

    teams = Team.objects.annotate(
        size=Count("members__enrolments"),
        unpinned=Count(
            "members__enrolments", filter=Q(members__enrolments__framework_pin__isnull=True)
        ),
    ).filter(size__gt=0, unpinned__gt=0)
    return teams.order_by("size", "pk").values_list("pk", flat=True)[0]


def _manager_of(team_id: int):
    from people.models import Role, RoleMembership, Team

    manager = Team.objects.get(pk=team_id).manager
    RoleMembership.objects.get_or_create(user=manager, role=Role.MANAGER)
    return manager


def _measured_cohort_id() -> int:
    from programmes.models import Cohort

    return Cohort.objects.get(name=MEASURED_COHORT).pk


def table(report: dict[str, Any]) -> str:
    lines = [
        f"{'page':<45} {'rows':>5} {'median s':>9} {'p95 s':>8} {'queries':>7} "
        f"{'raw s':>7} {'ratio':>6}"
    ]
    for way, measured in report["pages"].items():
        for name, page in measured.items():
            lines.append(
                f"{name + ', ' + way.replace('_', ' '):<45} {page['rows_matching']:>5} "
                f"{page['median_seconds']:>9.3f} {page['p95_seconds']:>8.3f} "
                f"{page['queries']:>7} {(page['raw_sql'] or {}).get('median_seconds', 0):>7.3f} "
                f"{page['ratio_to_raw_sql'] or '-':>6}"
            )
    for label, concurrent in report.get("concurrent", {}).items():
        cpu = concurrent["cpu_seconds_a_request"]
        spent = (
            f"; processor time a request: gunicorn {cpu['gunicorn_workers'] * 1000:.0f} ms,"
            f" PostgreSQL {cpu['postgresql'] * 1000:.0f} ms"
            if cpu["gunicorn_workers"] is not None
            else ""
        )
        lines.append(
            f"{label}, {concurrent['concurrency']} clients, "
            f"{concurrent['gunicorn_workers']} gunicorn workers: median "
            f"{concurrent['median_seconds']:.3f} s, p95 {concurrent['p95_seconds']:.3f} s, "
            f"{concurrent['requests_a_second']} requests a second{spent}"
        )
    lines.append(f"Targets: {json.dumps(report['targets'])}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.dashboard", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--enrolments", type=int, default=9_000)
    parser.add_argument("--cohort", type=int, default=150, help="the size of the cohort measured")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--runs", type=int, default=30, help="requests timed per page")
    parser.add_argument("--concurrency", type=int, default=16, help="clients at once (gunicorn)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--on", type=date.fromisoformat, default=None, help="the day measured")
    parser.add_argument(
        "--cache-url",
        default=DEFAULT_CACHE_URL,
        help="the Redis the pages are kept in, as deployed (emptied first); '' for memory",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a database kept by an earlier --keep run"
    )
    options = parser.parse_args(argv)

    if not options.reuse:
        base.create_database(options.database_url)
    configure_django(options.database_url, cache_url=options.cache_url)
    from django.utils import timezone

    on = options.on or timezone.localdate()
    if options.reuse:
        generated = json.loads(_kept_file(options.database_url).read_text())
    else:
        base.migrate()
        _say(f"Generating {options.enrolments} enrolments and their year…")
        generated = generate(enrolments=options.enrolments, cohort=options.cohort, on=on)
        _kept_file(options.database_url).write_text(json.dumps(generated))
        _say(f"  done in {generated['seconds']} s: {generated}")
    try:
        report = run(generated=generated, on=on, options=options)
    finally:
        if not (options.keep or options.reuse):
            base.drop_database(options.database_url)
            _kept_file(options.database_url).unlink(missing_ok=True)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=2) + "\n")
    sys.stdout.write(table(report))
    return 0


def _kept_file(database_url: str) -> Path:
    """What was generated into a kept database, so a --reuse run can report it."""
    name = Path(str(base._database_config(database_url)["NAME"])).name
    return Path(tempfile.gettempdir()) / f"{name}.generated.json"


if __name__ == "__main__":
    raise SystemExit(main())
