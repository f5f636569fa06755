"""How long caseload-breach detection takes at national scale, next to one raw SQL query.

    .venv/bin/python -m benchmarks.caseload_breaches [--enrolments 10000] [--weeks 52]
        [--database-url postgres://postgres@127.0.0.1:5432/footing_bench] [--keep]
        [--output benchmarks/results/caseload_breaches.json]

Creates the database named in --database-url afresh (its name must contain "bench": it is
dropped first, and again at the end unless --keep), migrates it, and generates teams, people,
cohorts on the seeded programmes, enrolments and weekly caseload snapshots. Then, at 100
enrolments and at the full size, it measures `detect_caseload_breaches`: wall time (the median
of several runs that each open every breach afresh, and of runs with nothing new to open), the
queries it sends, its peak Python memory, and the time of one raw SQL query that finds the same
breaching enrolments. Results go to a JSON file; a short table goes to standard output.
Generating the data is not part of any measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import secrets
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Django is set up only once the database is known: models load later
    from programmes.rules import CaseloadCap

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/footing_bench"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "caseload_breaches.json"
SMALL_SIZE = 100  # the query count here must equal the one at the full size

# The shape of the generated country. Each team has a manager, a supervisor and 20 workers.
TEAM_SIZE = 20
ADULT_TEAM_SHARE = 0.2
FIRST_YEAR_SHARE = 0.25  # started within the year: the early, tighter phases of the cap apply
OVER_THE_CAP_CHANCE = 0.03  # a week's figure over the open-cases cap
OVER_A_LEAD_LIMIT_CHANCE = 0.005  # a week's child-protection or complex figure over its limit
PART_TIME_FTES = ("0.50", "0.60", "0.80", "0.90")


def _say(message: str) -> None:
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


# --- The throwaway database.


def _database_config(url: str) -> dict[str, Any]:
    import environ

    config = environ.Env.db_url_config(url)
    if "bench" not in Path(str(config["NAME"])).name:
        raise SystemExit(
            f"The benchmark drops and recreates its database; {config['NAME']!r} does not look "
            "like a throwaway one. Name a database (or SQLite file) with 'bench' in its name."
        )
    return config


def create_database(url: str) -> None:
    """A fresh, empty database: any database of that name is dropped first."""
    config = _database_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        _remove_sqlite_files(Path(config["NAME"]))
        return
    _postgres_admin(config, "DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _postgres_admin(config, "CREATE DATABASE {name}")


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    config = _database_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        _remove_sqlite_files(Path(config["NAME"]))
    else:
        _postgres_admin(config, "DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _postgres_admin(config: dict[str, Any], statement: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    ) as admin:
        admin.execute(sql.SQL(statement).format(name=sql.Identifier(config["NAME"])))


def configure_django(database_url: str, *, conn_max_age: int = 0) -> None:
    """Django against the throwaway database, never the developer's .env or broker.

    `conn_max_age`: seconds a connection is kept between requests (0: one per request).
    """
    os.environ["DATABASE_URL"] = database_url
    os.environ["ENV_FILE"] = ""
    os.environ["DEBUG"] = "false"  # DEBUG keeps every query in memory, which skews the figures
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CONN_MAX_AGE"] = str(conn_max_age)
    os.environ.setdefault("SECRET_KEY", f"benchmark-only-{secrets.token_urlsafe(32)}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from config.celery import app

    # Detection queues the notification task on commit: keep those messages in this process.
    app.conf.broker_url = "memory://localhost/"
    app.conf.broker_transport_options = {}


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- Generating a country's worth of caseload figures.


@dataclass(frozen=True)
class Generated:
    enrolments: int
    snapshots: int
    seconds: float


def _programme_code(rng: random.Random, *, adults: bool, weeks_ago: int) -> str:
    """Who is on what, by how long ago they started: the first year is on any programme; the
    second year is the ECDP (SWIP), the Welsh programme or an extended ASYE; later, Wales."""
    if adults:
        return "ASYE-AD" if weeks_ago < 78 else "WALES-CP"
    if weeks_ago < 52:
        return rng.choices(("ASYE-CF", "SWIP", "WALES-CP"), weights=(6, 3, 1))[0]
    if weeks_ago < 104:
        return rng.choices(("SWIP", "WALES-CP", "ASYE-CF"), weights=(7, 2, 1))[0]
    return "WALES-CP"


def _figures(rng: random.Random, cap: CaseloadCap) -> tuple[int, int, int | None]:
    """A week's open, child-protection and complex cases: mostly at or under the cap."""
    if rng.random() < OVER_THE_CAP_CHANCE:
        open_cases = cap.open_cases + rng.randint(1, 3)
    else:
        open_cases = max(0, cap.open_cases - rng.choice((0, 0, 1, 1, 2, 3, 4)))
    limit = cap.child_protection_lead
    child_protection = rng.randint(0, min(open_cases, 6 if limit is None else limit))
    if limit is not None and limit < open_cases and rng.random() < OVER_A_LEAD_LIMIT_CHANCE:
        child_protection = limit + 1
    if rng.random() < 0.3:
        return open_cases, child_protection, None  # the system sends no complex-case count
    limit = cap.complex_lead
    complex_cases = rng.randint(0, min(open_cases, 3 if limit is None else limit))
    if limit is not None and limit < open_cases and rng.random() < OVER_A_LEAD_LIMIT_CHANCE:
        complex_cases = limit + 1
    return open_cases, child_protection, complex_cases


def generate(
    *, enrolments: int, weeks: int, on: date, seed: int = 7, first: int = 0, days_apart: int = 7
) -> Generated:
    """Teams, people, cohorts and active enrolments, each with weekly figures up to `on`.

    Start dates spread over two and a half years, so every phase of every programme's cap is
    in force somewhere. Each enrolment has a figure a week for `weeks` weeks up to `on`, or
    from its start if that is later (so about a quarter have fewer). `first` numbers the people
    of a second call after those of the first. Bulk inserts, no history rows: fast.
    With `days_apart` other than 7, `weeks` figures that many days apart instead (the
    dashboard benchmark asks for a figure a day, as a daily case-management feed gives).
    """
    from django.db import connection, transaction

    from programmes.revisions import loading_in_bulk

    started = time.perf_counter()
    # One commit: SQLite would otherwise sync each row to disk. Revision marks once at the end.
    with loading_in_bulk(connection), transaction.atomic():
        made, snapshots = _populate(
            enrolments=enrolments,
            weeks=weeks,
            on=on,
            seed=seed,
            first=first,
            days_apart=days_apart,
        )
    _analyze()
    return Generated(enrolments=made, snapshots=snapshots, seconds=time.perf_counter() - started)


def _populate(
    *, enrolments: int, weeks: int, on: date, seed: int, first: int, days_apart: int
) -> tuple[int, int]:
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from people.models import DEFAULT_FULL_CASELOAD, ServiceArea, Team, User
    from programmes import rules
    from programmes.models import Cohort, Enrolment, Programme

    rng = random.Random(f"{seed}-{first}")
    programmes = {programme.code: programme for programme in Programme.objects.all()}
    phases = {code: programme.caseload_protection_phases for code, programme in programmes.items()}

    unusable = make_password(None)
    team_count = -(-enrolments // TEAM_SIZE)
    teams = []
    for number in range(team_count):
        adults = rng.random() < ADULT_TEAM_SHARE
        area = ServiceArea.ADULTS if adults else ServiceArea.CHILDREN
        full = DEFAULT_FULL_CASELOAD[area] + rng.randint(-3, 2)
        teams.append(
            Team(
                name=f"Benchmark team {first}-{number}",
                service_area=area,
                standard_full_caseload=full,
            )
        )
    teams = Team.objects.bulk_create(teams)
    staff = User.objects.bulk_create(
        [
            User(
                email=f"{kind}{first}-{number}@bench.example",
                full_name=f"{kind.title()} {first}-{number}",
                password=unusable,  # nobody signs in as these people
                team=team,
            )
            for number, team in enumerate(teams)
            for kind in ("manager", "supervisor")
        ]
    )
    for number, team in enumerate(teams):
        team.manager = staff[2 * number]
    Team.objects.bulk_update(teams, ["manager"])
    workers = User.objects.bulk_create(
        [
            User(
                email=f"worker{first + index}@bench.example",
                full_name=f"Worker {first + index}",
                password=unusable,
                team=teams[index // TEAM_SIZE],
            )
            for index in range(enrolments)
        ],
        batch_size=2000,
    )

    plans = []  # (worker, team, programme code, started_on, fte)
    for index, worker in enumerate(workers):
        team = teams[index // TEAM_SIZE]
        first_year = rng.random() < FIRST_YEAR_SHARE
        weeks_ago = rng.randint(0, 51) if first_year else rng.randint(52, 130)
        code = _programme_code(
            rng, adults=team.service_area == ServiceArea.ADULTS, weeks_ago=weeks_ago
        )
        started_on = on - timedelta(days=7 * weeks_ago + rng.randint(0, 6))
        fte = Decimal("1.00") if rng.random() < 0.8 else Decimal(rng.choice(PART_TIME_FTES))
        plans.append((worker, team, code, started_on, fte))

    cohorts: dict[tuple[str, int, int], Cohort] = {}
    for _worker, _team, code, started_on, _fte in plans:
        key = (code, started_on.year, started_on.month)
        if key not in cohorts:
            cohorts[key], _created = Cohort.objects.get_or_create(
                programme=programmes[code],
                name=f"Benchmark {code} {started_on:%Y-%m}",
                defaults={"intake_on": started_on.replace(day=1)},
            )
    created = Enrolment.objects.bulk_create(
        [
            Enrolment(
                worker=worker,
                cohort=cohorts[(code, started_on.year, started_on.month)],
                started_on=started_on,
                fte=fte,
                supervisor=staff[2 * (index // TEAM_SIZE) + 1],
            )
            for index, (worker, _team, code, started_on, fte) in enumerate(plans)
        ],
        batch_size=2000,
    )

    caps: dict[tuple, rules.CaseloadCap] = {}
    recorded_at = timezone.make_aware(datetime.combine(on, datetime.min.time()))
    rows = []
    for enrolment, (_worker, team, code, started_on, fte) in zip(created, plans, strict=True):
        latest_on = on - timedelta(days=rng.randint(0, days_apart - 1))  # the reporting day
        for week in range(weeks):
            as_of = latest_on - timedelta(days=days_apart * week)
            if as_of < started_on:
                break
            programme_week = rules.programme_week(started_on=started_on, on=as_of)
            phase = rules.phase_for_week(phases[code], max(programme_week, 1))
            key = (code, phase, team.standard_full_caseload, fte, team.service_area)
            if key not in caps:
                caps[key] = rules.caseload_cap(
                    phases=(phase,),
                    week=1,
                    full_caseload=team.standard_full_caseload,
                    fte=fte,
                    service_area=team.service_area,
                )
            open_cases, child_protection, complex_cases = _figures(rng, caps[key])
            rows.append(
                (enrolment.pk, as_of, open_cases, child_protection, complex_cases, recorded_at)
            )
    _insert_snapshots(rows)
    return len(created), len(rows)


SNAPSHOT_COLUMNS = (
    "enrolment_id",
    "as_of",
    "open_cases",
    "child_protection_cases",
    "complex_cases",
    "recorded_at",
    "source",
)


def _insert_snapshots(rows: Sequence[tuple]) -> None:
    """COPY on PostgreSQL; one prepared INSERT for all the rows on SQLite."""
    from django.db import connection

    from programmes.models import CaseloadSnapshot

    table = connection.ops.quote_name(CaseloadSnapshot._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in SNAPSHOT_COLUMNS)
    source = CaseloadSnapshot.Source.CSV.value
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, source))
            return
        placeholders = ", ".join(["%s"] * len(SNAPSHOT_COLUMNS))
        day, moment = connection.ops.adapt_datefield_value, connection.ops.adapt_datetimefield_value
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608 (names only)
            [(row[0], day(row[1]), *row[2:5], moment(row[5]), source) for row in rows],
        )


def _analyze() -> None:
    """Fresh planner statistics (and visibility map), as autovacuum would have after a day's
    imports. VACUUM cannot run inside a transaction, as in a test: there, statistics only."""
    from django.db import connection

    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


# --- The single raw SQL query that finds the same breaches.

# The latest figure of each active enrolment on or before the day, against the cap of the
# programme week it was taken in (DOMAIN.md, "Caseload protection"): the phase is the first
# whose last week is on or after that week, else the last; the cap is the lower of the phase's
# share of the team's full caseload pro rata FTE (rounded down) and the service area's absolute
# cap; the lead limits are whole cases. A figure taken during a pause breaches nothing. Paused
# days are not taken off the programme week here: the generator makes no pauses.
RAW_POSTGRESQL = """
SELECT e.id
FROM programmes_enrolment e
JOIN people_user w ON w.id = e.worker_id
LEFT JOIN people_team t ON t.id = w.team_id
JOIN programmes_cohort c ON c.id = e.cohort_id
JOIN programmes_programme p ON p.id = c.programme_id
CROSS JOIN LATERAL (
    SELECT s.as_of, s.open_cases, s.child_protection_cases, s.complex_cases
    FROM programmes_caseloadsnapshot s
    WHERE s.enrolment_id = e.id AND s.as_of <= %(on)s
    ORDER BY s.as_of DESC
    LIMIT 1
) latest
CROSS JOIN LATERAL (
    SELECT
        CASE WHEN t.id IS NULL THEN p.service_area ELSE t.service_area END AS area,
        GREATEST((latest.as_of - e.started_on) / 7 + 1, 1) AS week
) here
CROSS JOIN LATERAL (
    SELECT phase.value AS phase
    FROM jsonb_array_elements(p.caseload_phases) WITH ORDINALITY AS phase(value, n)
    ORDER BY CASE WHEN (phase.value ->> 'last_week')::int >= here.week
        THEN phase.n ELSE 1000000 - phase.n END
    LIMIT 1
) chosen
CROSS JOIN LATERAL (
    SELECT
        LEAST(
            (chosen.phase ->> 'cap_percent')::int
            * COALESCE(t.standard_full_caseload, CASE here.area WHEN 'adults' THEN 25 ELSE 18 END)
            * round(e.fte * 100)::int / 10000,
            CASE WHEN here.area = 'children'
                THEN (chosen.phase ->> 'absolute_cap_children')::int
                ELSE (chosen.phase ->> 'absolute_cap_adults')::int END
        ) AS open_cases,
        (chosen.phase ->> 'child_protection_lead_max')::int AS child_protection,
        (chosen.phase ->> 'complex_lead_max')::int AS complex
) cap
WHERE e.status = 'active'
    AND (
        latest.open_cases > cap.open_cases
        OR latest.child_protection_cases > cap.child_protection
        OR latest.complex_cases > cap.complex
    )
    AND NOT EXISTS (
        SELECT 1 FROM programmes_enrolmentpause pause
        WHERE pause.enrolment_id = e.id AND pause.starts_on <= latest.as_of
            AND COALESCE(pause.ends_on, %(on)s) >= latest.as_of
    )
"""

# The same on SQLite, which has no LATERAL: the latest figure by its date, the phase from
# json_each. SQLite's min() is NULL when any argument is, hence the COALESCE.
RAW_SQLITE = """
WITH latest AS (
    SELECT s.enrolment_id, s.as_of, s.open_cases, s.child_protection_cases, s.complex_cases
    FROM programmes_caseloadsnapshot s
    JOIN (
        SELECT enrolment_id, MAX(as_of) AS as_of FROM programmes_caseloadsnapshot
        WHERE as_of <= %(on)s GROUP BY enrolment_id
    ) newest ON newest.enrolment_id = s.enrolment_id AND newest.as_of = s.as_of
), here AS (
    SELECT e.id, latest.*, p.caseload_phases,
        CASE WHEN t.id IS NULL THEN p.service_area ELSE t.service_area END AS area,
        COALESCE(
            t.standard_full_caseload, CASE p.service_area WHEN 'adults' THEN 25 ELSE 18 END
        ) AS full_caseload,
        CAST(round(e.fte * 100) AS INTEGER) AS fte_percent,
        max(CAST(julianday(latest.as_of) - julianday(e.started_on) AS INTEGER) / 7 + 1, 1) AS week
    FROM programmes_enrolment e
    JOIN latest ON latest.enrolment_id = e.id
    JOIN people_user w ON w.id = e.worker_id
    LEFT JOIN people_team t ON t.id = w.team_id
    JOIN programmes_cohort c ON c.id = e.cohort_id
    JOIN programmes_programme p ON p.id = c.programme_id
    WHERE e.status = 'active' AND NOT EXISTS (
        SELECT 1 FROM programmes_enrolmentpause pause
        WHERE pause.enrolment_id = e.id AND pause.starts_on <= latest.as_of
            AND COALESCE(pause.ends_on, %(on)s) >= latest.as_of
    )
), chosen AS (
    SELECT here.*, COALESCE(
        (
            SELECT phase.value FROM json_each(here.caseload_phases) AS phase
            WHERE json_extract(phase.value, '$.last_week') >= here.week
            ORDER BY phase.key LIMIT 1
        ),
        (
            SELECT phase.value FROM json_each(here.caseload_phases) AS phase
            ORDER BY phase.key DESC LIMIT 1
        )
    ) AS phase
    FROM here
), cap AS (
    SELECT chosen.*,
        json_extract(phase, '$.cap_percent') * full_caseload * fte_percent / 10000 AS share,
        CASE WHEN area = 'children' THEN json_extract(phase, '$.absolute_cap_children')
            ELSE json_extract(phase, '$.absolute_cap_adults') END AS absolute_cap,
        json_extract(phase, '$.child_protection_lead_max') AS child_protection_cap,
        json_extract(phase, '$.complex_lead_max') AS complex_cap
    FROM chosen
)
SELECT id FROM cap
WHERE open_cases > min(share, COALESCE(absolute_cap, share))
    OR child_protection_cases > child_protection_cap
    OR complex_cases > complex_cap
"""


def raw_breaching_enrolments(on: date) -> set[int]:
    """The enrolments whose latest figure breaches the cap, found by one SQL query."""
    from django.db import connection

    query = RAW_POSTGRESQL if connection.vendor == "postgresql" else RAW_SQLITE
    with connection.cursor() as cursor:
        cursor.execute(query, {"on": on})
        return {row[0] for row in cursor.fetchall()}


# --- Measuring.


def _clear_breaches() -> None:
    from programmes.models import CaseloadBreach

    CaseloadBreach.history.model.objects.all().delete()
    CaseloadBreach.objects.all().delete()


def _timed(job: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = job()
    return time.perf_counter() - started, result


def _cpu_timed(job: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time and this process's CPU time: the second is steadier on a busy machine, but
    leaves out the database server's work."""
    cpu_started = time.process_time()
    seconds, result = _timed(job)
    return seconds, time.process_time() - cpu_started, result


def _query_label(sql: str) -> str:
    """A query named by what it does and its main table, e.g. "SELECT programmes_enrolment"."""
    verb = sql.lstrip().split(None, 1)[0].upper()
    for table in re.finditer(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, flags=re.IGNORECASE):
        before = sql[: table.start()]
        if before.count("(") == before.count(")"):  # not inside a subquery
            return f"{verb} {table.group(1)}"
    return verb


def measure(*, on: date, runs: int = 5) -> dict[str, Any]:
    """Time, queries and memory of detection at the current size, next to the raw query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programmes.models import CaseloadBreach, Enrolment
    from programmes.services.caseloads import detect_caseload_breaches

    def detect() -> Any:
        return detect_caseload_breaches(on=on)

    load_average = os.getloadavg()[0]  # other work on the machine slows every figure below

    opening, opening_cpu = [], []
    for _ in range(runs):
        _clear_breaches()  # each run opens every breach afresh
        seconds, cpu_seconds, detection = _cpu_timed(detect)
        opening.append(seconds)
        opening_cpu.append(cpu_seconds)
    opened = {breach.enrolment_id for breach in detection.opened}
    steady = [_timed(detect)[0] for _ in range(runs)]  # every breach already open

    _clear_breaches()
    with CaptureQueriesContext(connection) as opening_queries:
        detect()
    with CaptureQueriesContext(connection) as steady_queries:
        steady_detection = detect()

    _clear_breaches()
    tracemalloc.start()
    detect()
    _current, peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    raw = [_timed(lambda: raw_breaching_enrolments(on))[0] for _ in range(runs)]
    raw_found = raw_breaching_enrolments(on)
    opening_median, raw_median = statistics.median(opening), statistics.median(raw)
    return {
        "load_average_1_minute_before": round(load_average, 2),
        "enrolments": Enrolment.objects.current().count(),
        "breaches_opened": len(opened),
        "breaches_open_after": CaseloadBreach.objects.unresolved().count(),
        "detect": {
            "opening_median_seconds": round(opening_median, 4),
            "opening_seconds": [round(seconds, 4) for seconds in opening],
            "opening_python_cpu_median_seconds": round(statistics.median(opening_cpu), 4),
            "nothing_new_median_seconds": round(statistics.median(steady), 4),
            "nothing_new_seconds": [round(seconds, 4) for seconds in steady],
            "nothing_new_opened": len(steady_detection.opened),
            "queries_opening": len(opening_queries),
            "queries_opening_named": [_query_label(q["sql"]) for q in opening_queries],
            "queries_nothing_new": len(steady_queries),
            "queries_nothing_new_named": [_query_label(q["sql"]) for q in steady_queries],
            "peak_python_memory_bytes": peak_bytes,
        },
        "raw_query": {
            "median_seconds": round(raw_median, 4),
            "seconds": [round(seconds, 4) for seconds in raw],
            "breaching_enrolments": len(raw_found),
            "same_enrolments_as_detection": raw_found == opened,
        },
        "detect_to_raw_ratio": round(opening_median / raw_median, 2) if raw_median else None,
    }


def query_plans(on: date) -> dict[str, list[str]]:
    """EXPLAIN ANALYZE of detection's queries that read, and of the raw one (PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programmes.models import Enrolment
    from programmes.selectors.caseloads import latest_caseloads

    if connection.vendor != "postgresql":
        return {}
    with CaptureQueriesContext(connection) as reads:
        latest_caseloads(Enrolment.objects.current(), on=on)
    plans = {}
    with connection.cursor() as cursor:
        for name, sql, params in [
            *[(f"detection: {_query_label(q['sql'])}", q["sql"], None) for q in reads],
            ("raw query", RAW_POSTGRESQL, {"on": on}),
        ]:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plans[name] = [row[0] for row in cursor.fetchall()]
    return plans


def machine() -> dict[str, Any]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "cpu_count": os.cpu_count(),
        "load_average_1_5_15_minutes": [round(load, 2) for load in os.getloadavg()],
        "platform": platform.platform(),
        "processor": platform.machine(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": {"vendor": connection.vendor, "version": version},
    }


def run(*, sizes: Iterable[int], weeks: int, on: date, runs: int) -> dict[str, Any]:
    """Generate up to each size in turn (adding to what is there) and measure at each."""
    results = []
    made = 0
    snapshots = 0
    for size in sorted(set(sizes)):
        _say(f"Generating {size - made} enrolments ({weeks} weeks of figures)…")
        generated = generate(enrolments=size - made, weeks=weeks, on=on, first=made)
        made, snapshots = size, snapshots + generated.snapshots
        _say(f"  {generated.snapshots} snapshots in {generated.seconds:.1f} s. Measuring…")
        measured = measure(on=on, runs=runs)
        results.append(
            {"snapshots": snapshots, "generate_seconds": round(generated.seconds, 1), **measured}
        )
    largest = results[-1]
    query_counts = {size["detect"]["queries_opening"] for size in results}
    return {
        "benchmark": "caseload_breaches",
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "parameters": {"on": on.isoformat(), "weeks": weeks, "runs": runs},
        "sizes": results,
        "targets": {
            "under_2_seconds": largest["detect"]["opening_median_seconds"] < 2,
            "within_3x_of_raw_query": (largest["detect_to_raw_ratio"] or 0) <= 3,
            "same_query_count_at_every_size": len(query_counts) == 1
            and len({size["detect"]["queries_nothing_new"] for size in results}) == 1,
            "same_enrolments_as_raw_query": all(
                size["raw_query"]["same_enrolments_as_detection"] for size in results
            ),
        },
        "query_plans": query_plans(on),
    }


def table(report: dict[str, Any]) -> str:
    lines = [
        f"{'enrolments':>10} {'snapshots':>10} {'breaches':>8} {'detect s':>9} "
        f"{'no-new s':>9} {'raw s':>8} {'ratio':>6} {'queries':>7} {'peak MB':>8} {'same':>5}"
    ]
    for size in report["sizes"]:
        detect, raw = size["detect"], size["raw_query"]
        lines.append(
            f"{size['enrolments']:>10} {size['snapshots']:>10} {size['breaches_opened']:>8} "
            f"{detect['opening_median_seconds']:>9.3f} "
            f"{detect['nothing_new_median_seconds']:>9.3f} "
            f"{raw['median_seconds']:>8.3f} {size['detect_to_raw_ratio']:>6} "
            f"{detect['queries_opening']:>3}/{detect['queries_nothing_new']:<3} "
            f"{detect['peak_python_memory_bytes'] / 1e6:>8.1f} "
            f"{'yes' if raw['same_enrolments_as_detection'] else 'NO':>5}"
        )
    targets = [f"{name} {'met' if met else 'MISSED'}" for name, met in report["targets"].items()]
    lines.append("Targets: " + ", ".join(targets))
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.caseload_breaches", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--enrolments", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=52, help="weekly figures per enrolment")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="a throwaway database, e.g. sqlite:////tmp/footing_bench.sqlite3",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each kind")
    parser.add_argument(
        "--on", type=date.fromisoformat, default=None, help="the day detection runs for"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    options = parser.parse_args(argv)

    create_database(options.database_url)
    configure_django(options.database_url)
    try:
        from django.utils import timezone

        migrate()
        on = options.on or timezone.localdate()
        sizes = {min(SMALL_SIZE, options.enrolments), options.enrolments}
        report = run(sizes=sizes, weeks=options.weeks, on=on, runs=options.runs)
    finally:
        if not options.keep:
            drop_database(options.database_url)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=2) + "\n")
    sys.stdout.write(table(report))
    sys.stdout.write(f"Written to {options.output}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
