"""Database triggers that mark an enrolment revised whenever a record it is judged from changes.

Each table the dashboard and its figures read is listed here once, with the enrolment its rows
belong to. Records shared by many enrolments (programmes, cohorts, people, frameworks) mark the
shared row instead. The triggers are installed after every `migrate` (and `flush`), so a table
that SQLite rebuilds to alter a column gets them back; tests/programmes/test_revisions.py fails
when a page reads a table that has none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

from programmes.models.revisions import SHARED

REVISIONS = "programmes_enrolmentrevision"
# PostgreSQL: a sequence hands out `n` without locking, so writers to different enrolments never
# wait on each other. SQLite has one writer at a time, and a counter row instead.
SEQUENCE = "programmes_enrolmentrevision_n"
SQLITE_COUNTER = -1

# Which enrolment a row belongs to, as SQL over the row (`{row}` is NEW or OLD).
_VIA_EVIDENCE = "(SELECT enrolment_id FROM assessments_evidence WHERE id = {row}.evidence_id)"
_VIA_SESSION = (
    "(SELECT enrolment_id FROM supervision_supervisionsession WHERE id = {row}.session_id)"
)
ENROLMENTS = "programmes_enrolment"
ENROLMENT_OF: dict[str, str] = {
    ENROLMENTS: "{row}.id",
    "programmes_enrolmentpause": "{row}.enrolment_id",
    "programmes_enrolmentextension": "{row}.enrolment_id",
    "programmes_enrolmentdocument": "{row}.enrolment_id",
    "programmes_caseloadsnapshot": "{row}.enrolment_id",
    "programmes_caseloadbreach": "{row}.enrolment_id",
    "programmes_protectedtimeentry": "{row}.enrolment_id",
    "supervision_supervisionsession": "{row}.enrolment_id",
    "supervision_supervisionaction": _VIA_SESSION,
    "assessments_evidence": "{row}.enrolment_id",
    "assessments_evidencestatement": _VIA_EVIDENCE,
    "assessments_signoff": _VIA_EVIDENCE,
    "assessments_review": "{row}.enrolment_id",
    "assessments_concern": "{row}.enrolment_id",
    "assessments_frameworkpin": "{row}.enrolment_id",
    "assessments_completionrecord": "{row}.enrolment_id",
    "assessments_finalassessment": "{row}.enrolment_id",
}
SHARED_TABLES: tuple[str, ...] = (
    "programmes_programme",
    "programmes_cohort",
    "people_user",
    "people_team",
    "people_rolemembership",
    "assessments_framework",
    "assessments_framework_programmes",
    "assessments_standard",
    "assessments_statement",
    "assessments_statementmapping",
)
# Columns whose change alters no page: signing in stamps `last_login` on every sign-in, and
# marking everything shared then would make every page be worked out again.
IGNORED_COLUMNS: dict[str, frozenset[str]] = {"people_user": frozenset({"last_login"})}


def _key_of(table: str) -> str:
    return ENROLMENT_OF.get(table, str(SHARED))


def _update_event(connection: BaseDatabaseWrapper, table: str) -> str:
    """The trigger's UPDATE event: of every column but those whose change alters no page."""
    ignored = IGNORED_COLUMNS.get(table)
    if not ignored:
        return "UPDATE"
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, table)
    watched = [connection.ops.quote_name(c.name) for c in columns if c.name not in ignored]
    return "UPDATE OF " + ", ".join(watched)


def _postgresql(connection: BaseDatabaseWrapper, table: str) -> list[str]:
    quote = connection.ops.quote_name
    key = _key_of(table)
    itself = "true" if table == ENROLMENTS else "false"
    old, new = key.format(row="OLD"), key.format(row="NEW")
    update = _update_event(connection, table)
    function = quote(f"programmes_revise_{table}")
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM programmes_mark_revision({old}, {itself}); END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND ({new}) IS DISTINCT FROM ({old})) THEN
    PERFORM programmes_mark_revision({new}, {itself});
  END IF;
  RETURN NULL;
END $$""",
        f"DROP TRIGGER IF EXISTS programmes_revision ON {quote(table)}",
        f"CREATE TRIGGER programmes_revision AFTER INSERT OR DELETE OR {update} "
        f"ON {quote(table)} FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"DROP TRIGGER IF EXISTS programmes_revision_truncate ON {quote(table)}",
        f"CREATE TRIGGER programmes_revision_truncate AFTER TRUNCATE ON {quote(table)} "
        "FOR EACH STATEMENT EXECUTE FUNCTION programmes_revise_everything()",
    ]


_POSTGRESQL_SETUP = [
    f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}",
    f"""CREATE OR REPLACE FUNCTION programmes_mark_revision(enrolment bigint, itself boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  mark bigint;
BEGIN
  IF enrolment IS NULL THEN RETURN; END IF;
  mark := nextval('{SEQUENCE}');
  INSERT INTO {REVISIONS} AS r (enrolment_id, n, own)
  VALUES (enrolment, mark, CASE WHEN itself THEN mark ELSE 0 END)
  ON CONFLICT (enrolment_id)
  DO UPDATE SET n = EXCLUDED.n, own = CASE WHEN itself THEN EXCLUDED.n ELSE r.own END;
END $$""",  # noqa: S608 - the names are this module's constants
    f"""CREATE OR REPLACE FUNCTION programmes_revise_everything() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM programmes_mark_revision({SHARED}, false);
  RETURN NULL;
END $$""",
]


def _sqlite_mark(key: str, *, itself: bool) -> str:
    # Every name here is one of this module's constants: nothing comes from a request.
    own, own_update = ("mark", ", own = excluded.n") if itself else ("0", "")
    return (
        f"INSERT INTO {REVISIONS} (enrolment_id, n, own) "  # noqa: S608
        f"VALUES ({SQLITE_COUNTER}, 1, 0) ON CONFLICT (enrolment_id) DO UPDATE SET n = n + 1; "
        f"INSERT INTO {REVISIONS} (enrolment_id, n, own) SELECT {key}, mark, {own} "
        f"FROM (SELECT n AS mark FROM {REVISIONS} WHERE enrolment_id = {SQLITE_COUNTER}) "
        f"WHERE {key} IS NOT NULL "
        f"ON CONFLICT (enrolment_id) DO UPDATE SET n = excluded.n{own_update};"
    )


def _sqlite(connection: BaseDatabaseWrapper, table: str) -> list[str]:
    quote = connection.ops.quote_name
    key = _key_of(table)
    update = _update_event(connection, table)
    statements = []
    for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), (update, ("OLD", "NEW"))):
        name = quote(f"programmes_revision_{table}_{event.split()[0].lower()}")
        body = " ".join(
            _sqlite_mark(key.format(row=row), itself=table == ENROLMENTS) for row in rows
        )
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {event} ON {quote(table)} BEGIN {body} END",
        ]
    return statements


def watched_tables() -> tuple[str, ...]:
    return (*ENROLMENT_OF, *SHARED_TABLES)


def install_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """(Re)create every trigger, for the tables that exist; returns the tables now watched."""
    present = set(connection.introspection.table_names())
    if REVISIONS not in present:
        return []  # migrated back before the table: nothing to mark
    tables = [table for table in watched_tables() if table in present]
    if connection.vendor == "postgresql":
        statements = list(_POSTGRESQL_SETUP)
        for table in tables:
            statements += _postgresql(connection, table)
    elif connection.vendor == "sqlite":
        statements = [statement for table in tables for statement in _sqlite(connection, table)]
    else:
        raise NotImplementedError(f"No revision triggers for {connection.vendor}")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return tables


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    present = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in watched_tables():
            if table not in present:
                continue
            if connection.vendor == "postgresql":
                for name in ("programmes_revision", "programmes_revision_truncate"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}")
            else:
                for event in ("insert", "delete", "update"):
                    name = quote(f"programmes_revision_{table}_{event}")
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


@contextmanager
def loading_in_bulk(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """For loading millions of rows into a database nobody is reading: the triggers are off
    while the load runs, then every enrolment and the shared records are marked once, where
    row by row each enrolment's mark would be rewritten once for every row loaded."""
    drop_triggers(connection)
    try:
        yield
    finally:
        install_triggers(connection)
        with connection.cursor() as cursor:
            # Each row's own update trigger marks it; the shared row is marked by the cohorts'.
            cursor.execute("UPDATE programmes_enrolment SET id = id")
            cursor.execute("UPDATE programmes_cohort SET id = id")


def tables_with_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    """The tables the database itself says mark a revision on insert, update and delete."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name = 'programmes_revision' "
                "GROUP BY event_object_table HAVING COUNT(DISTINCT event_manipulation) = 3"
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'programmes_revision_%' "
                "GROUP BY tbl_name HAVING COUNT(*) = 3"
            )
        return {row[0] for row in cursor.fetchall()}
