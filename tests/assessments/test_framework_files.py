"""Loading a framework version from a file: all of it, or nothing with every problem named."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Framework, Standard, Statement, StatementMapping
from assessments.services.framework_files import FrameworkFileError, load_framework_file

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parent.parent / "data" / "frameworks"
ECS = {
    "code": "early-career-standards",
    "version": "2026",
    "name": "Child and family social worker early career standards",
    "effective_from": "2027-04-01",
}


def _load(file_name: str, /, **options):
    out = StringIO()
    call_command("load_framework", str(FILES / file_name), stdout=out, **options)
    return out.getvalue()


def _ecs_options(**extra) -> dict:
    return {
        "code": ECS["code"],
        "framework_version": ECS["version"],
        "name": ECS["name"],
        "effective_from": ECS["effective_from"],
        **extra,
    }


def _refusal(file_name: str, /, **options) -> str:
    before = (
        Framework.objects.count(),
        Statement.objects.count(),
        StatementMapping.objects.count(),
    )
    with pytest.raises(CommandError) as refusal:
        _load(file_name, **options)
    after = (Framework.objects.count(), Statement.objects.count(), StatementMapping.objects.count())
    assert after == before, "a refused file loads nothing"
    return str(refusal.value)


def test_a_csv_file_loads_its_standards_in_order_and_maps_from_the_version_it_replaces():
    output = _load(
        "early_career_standards.csv",
        **_ecs_options(replaces="pqs-child-family:2018", programmes="ASYE-CF,SWIP"),
    )

    framework = Framework.objects.get(code="early-career-standards", version="2026")
    standards = list(framework.standards.order_by("position"))
    assert [s.number for s in standards] == ["1", "2", "3", "4", "5", "6"]
    assert list(standards[0].statements.values_list("code", flat=True)) == ["1.1", "1.2"]
    assert framework.replaces.code == "pqs-child-family"
    assert sorted(p.code for p in framework.programmes.all()) == ["ASYE-CF", "SWIP"]
    mapped = StatementMapping.objects.filter(target__standard__framework=framework)
    assert sorted((m.source.code, m.target.code) for m in mapped if m.target.code == "2.1") == [
        ("1.1", "2.1"),
        ("2.1", "2.1"),
    ]
    assert mapped.count() == 10
    assert "6 standard(s), 8 statement(s), 10 mapping(s)" in output
    assert framework.history.get().history_change_reason.startswith("Loaded from")


def test_a_json_file_takes_the_framework_fields_from_its_header():
    _load("early_career_standards.json", replaces="pqs-child-family:2018")

    framework = Framework.objects.get(code="early-career-standards", version="2026")
    assert framework.effective_from == date(2027, 4, 1)
    assert framework.source == "DfE, published 18 February 2026"
    assert Statement.objects.filter(standard__framework=framework).count() == 3
    # Without --programmes it is used by the programmes of the version it replaces.
    assert [p.code for p in framework.programmes.all()] == ["ASYE-CF"]


def test_a_csv_saved_with_a_byte_order_mark_and_windows_line_ends_loads():
    _load(
        "nqsw_outcomes_bom.csv",
        code="nqsw-outcomes",
        framework_version="2008",
        name="NQSW outcome statements",
        effective_from="2008-09-01",
        effective_to="2012-08-31",
        programmes="NQSW",
    )

    framework = Framework.objects.get(code="nqsw-outcomes")
    assert framework.standards.get().number == "1"
    assert framework.effective_to == date(2012, 8, 31)
    assert [p.code for p in framework.programmes.all()] == ["NQSW"]


def test_closing_the_replaced_version_ends_it_the_day_before_the_new_one_starts():
    pqs = Framework.objects.get(code="pqs-child-family")
    pqs.effective_to = None
    pqs.save()

    output = _load(
        "early_career_standards.json", replaces="pqs-child-family:2018", close_replaced=True
    )

    pqs.refresh_from_db()
    assert pqs.effective_to == date(2027, 3, 31)
    assert "pqs-child-family:2018 now ends on 2027-03-31" in output
    assert pqs.history.latest().history_change_reason == "Replaced by early-career-standards:2026"


def test_closing_never_extends_a_version_that_already_ends_sooner():
    pqs = Framework.objects.get(code="pqs-child-family")
    pqs.effective_to = date(2026, 12, 31)
    pqs.save()

    _load("early_career_standards.json", replaces="pqs-child-family:2018", close_replaced=True)

    pqs.refresh_from_db()
    assert pqs.effective_to == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("name", "options", "expected"),
    [
        pytest.param(
            "missing_column.csv",
            _ecs_options(),
            "missing_column.csv, line 1: add the missing column(s) statement_code.",
            id="missing-column",
        ),
        pytest.param(
            "blank_text.csv",
            _ecs_options(),
            "blank_text.csv, line 3: the statement text is blank; add the text.",
            id="csv-blank-text",
        ),
        pytest.param(
            "blank_text.json",
            {},
            "blank_text.json, standards[1].statements[0].text: this is required; "
            "it is missing or blank.",
            id="json-blank-text",
        ),
        pytest.param(
            "duplicate_code.csv",
            _ecs_options(),
            "duplicate_code.csv, line 4: statement code 1.1 is already used on line 2; "
            "give each statement its own code.",
            id="duplicate-code",
        ),
        pytest.param(
            "bad_date.json",
            {},
            "bad_date.json, framework.effective_from: “1 April 2027” is not a date; "
            "write it as YYYY-MM-DD, e.g. 2027-04-01.",
            id="json-bad-date",
        ),
        pytest.param(
            "early_career_standards.csv",
            _ecs_options(effective_from="2027-13-01", replaces="pqs-child-family:2018"),
            "--effective-from: “2027-13-01” is not a date",
            id="csv-bad-date",
        ),
        pytest.param(
            "early_career_standards.csv",
            _ecs_options(effective_to="2027-03-01", replaces="pqs-child-family:2018"),
            "--effective-to: the framework must end on or after the day it starts.",
            id="ends-before-it-starts",
        ),
        pytest.param(
            "unknown_maps_from.csv",
            _ecs_options(replaces="pqs-child-family:2018"),
            "unknown_maps_from.csv, line 3: maps_from code(s) 12.9 are not statements of "
            "pqs-child-family:2018.",
            id="unknown-maps-from",
        ),
        pytest.param(
            "unknown_maps_from.csv",
            _ecs_options(),
            "line 2: maps_from names statements of the version this one replaces; "
            "say which with --replaces CODE:VERSION.",
            id="maps-from-without-replaces",
        ),
        pytest.param(
            "early_career_standards.json",
            {"framework_version": "2026-consultation"},
            "framework.version: given both in the file and as --framework-version",
            id="field-given-twice",
        ),
        pytest.param(
            "early_career_standards.csv",
            {
                "code": "early-career-standards",
                "framework_version": "2026-consultation",
                "name": "Early career standards",
                "effective_from": "2027-04-01",
                "replaces": "pqs-child-family:2018",
            },
            "early-career-standards:2026-consultation is already loaded",
            id="existing-code-and-version",
        ),
        pytest.param(
            "latin1.csv",
            _ecs_options(),
            "latin1.csv, line 2: the file is not UTF-8 text",
            id="wrong-encoding",
        ),
        pytest.param(
            "not_json.json",
            {},
            "not_json.json, line 4, column 1: this is not valid JSON",
            id="not-json",
        ),
        pytest.param(
            "early_career_standards.csv",
            _ecs_options(replaces="pqs-child-family"),
            "--replaces: write it as CODE:VERSION",
            id="replaces-without-version",
        ),
        pytest.param(
            "early_career_standards.csv",
            _ecs_options(replaces="pqs-child-family:1999"),
            "--replaces: no framework pqs-child-family:1999 is loaded.",
            id="replaces-unknown-version",
        ),
        pytest.param(
            "early_career_standards.json",
            {"replaces": "pqs-child-family:2018", "programmes": "ASYE-CF,NOPE"},
            "--programmes: no programme has the code(s) NOPE.",
            id="unknown-programme",
        ),
        pytest.param(
            "early_career_standards.csv",
            {"replaces": "pqs-child-family:2018"},
            "--code: give the framework's code.",
            id="csv-without-framework-fields",
        ),
        pytest.param(
            "early_career_standards.json",
            {"close_replaced": True},
            "--close-replaced: say which version to close with --replaces.",
            id="close-without-replaces",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_where_and_why_and_nothing_is_loaded(
    name, options, expected
):
    message = _refusal(name, **options)

    assert message.startswith("Nothing was loaded. Fix the file and load it again:")
    assert expected in message


def _csv(*rows: str) -> bytes:
    return "\n".join(
        ["standard_number,standard_title,statement_code,statement_text,maps_from", *rows]
    ).encode()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", "line 1: the file is empty. Add a header row.", id="empty"),
        pytest.param(_csv(), "the file has no statements", id="header-only"),
        pytest.param(
            _csv("1,Intervention,1.1,Help families.,,extra"),
            "line 2: the row has more cells than the header row has columns.",
            id="extra-cells",
        ),
        pytest.param(
            _csv("1,Intervention,1.1,Help.", "1,Interventions,1.2,Protect."),
            "line 3: standard 1 is titled “Intervention” on line 2",
            id="standard-retitled",
        ),
        pytest.param(
            _csv(",Intervention,1.1,Help."), "line 2: give the standard's number.", id="no-number"
        ),
        pytest.param(
            _csv("1,,1.1,Help."), "line 2: give the standard's title (heading).", id="no-title"
        ),
        pytest.param(
            _csv("1,Intervention,,Help."),
            "line 2: give the statement's code, e.g. 1.1.",
            id="no-code",
        ),
        pytest.param(
            _csv("1,Intervention," + "1" * 21 + ",Help."),
            "line 2: a statement code has at most 20 characters.",
            id="long-code",
        ),
        pytest.param(
            _csv("1,Intervention,1.1,Help\x00."),
            "line 2: the file holds a NUL character",
            id="nul-character",
        ),
        pytest.param(
            b"standard_number,standard_title,statement_code,statement_text,statment\n",
            "line 1: unknown column(s) statment.",
            id="misspelt-column",
        ),
    ],
)
def test_each_problem_in_a_csv_row_is_reported_with_its_line(content, expected):
    with pytest.raises(FrameworkFileError) as refusal:
        load_framework_file(content=content, file_format="csv", header=ECS)

    assert any(expected in problem for problem in refusal.value.problems), refusal.value.problems
    assert not Framework.objects.filter(version="2026").exists()


def test_every_problem_in_a_file_is_reported_at_once():
    content = _csv("1,Intervention,1.1,", "1,Intervention,1.1,Protect.", "2,,2.1,Plan.")

    with pytest.raises(FrameworkFileError) as refusal:
        load_framework_file(content=content, file_format="csv", header=ECS)

    assert refusal.value.problems == [
        "line 2: the statement text is blank; add the text.",
        "line 3: statement code 1.1 is already used on line 2; give each statement its own code.",
        "line 4: give the standard's title (heading).",
    ]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param(b"[]", "(top level): the file must be an object", id="not-an-object"),
        pytest.param(
            b'{"framework": {"code": "x", "colour": "red"}, "standards": []}',
            "framework: unknown field(s) colour.",
            id="unknown-field",
        ),
        pytest.param(
            b'{"framework": {}, "standards": {}}',
            "standards: give the standards as a list.",
            id="standards-not-a-list",
        ),
        pytest.param(
            b'{"standards": [{"number": "1", "title": "A", "statements": []}]}',
            "standards[0].statements: give the standard's statements as a list.",
            id="no-statements",
        ),
        pytest.param(
            b'{"standards": [{"number": "1", "title": "A", "statements": '
            b'[{"code": "1.1", "text": "T", "maps_from": "1.1"}]}]}',
            "standards[0].statements[0].maps_from: give a list of statement codes.",
            id="maps-from-not-a-list",
        ),
        pytest.param(
            b'{"standards": [{"number": "1", "title": "A", "statements": '
            b'[{"code": "1.1", "txt": "T"}]}]}',
            "standards[0].statements[0]: unknown key(s) txt. The keys are code, text, maps_from.",
            id="misspelt-statement-key",
        ),
        pytest.param(
            b'{"standards": [{"number": true, "title": "A", "statements": '
            b'[{"code": "1.1", "text": "T"}]}]}',
            "standards[0].number: give this as text in quotes.",
            id="number-not-text",
        ),
    ],
)
def test_each_problem_in_a_json_file_is_reported_with_its_path(document, expected):
    with pytest.raises(FrameworkFileError) as refusal:
        load_framework_file(content=document, file_format="json", header={})

    assert any(expected in problem for problem in refusal.value.problems), refusal.value.problems


def test_a_framework_code_that_is_not_a_slug_is_refused_and_nothing_is_loaded():
    before = Standard.objects.count()

    with pytest.raises(FrameworkFileError) as refusal:
        load_framework_file(
            content=_csv("1,Intervention,1.1,Help."),
            file_format="csv",
            header={**ECS, "code": "early career"},
        )

    assert refusal.value.problems[0].startswith("--code: ")
    assert Standard.objects.count() == before
    assert not Framework.objects.filter(version="2026").exists()


def test_a_file_that_cannot_be_read_is_refused():
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("load_framework", str(FILES / "no-such-file.csv"))


def test_a_file_named_neither_csv_nor_json_needs_a_format(tmp_path):
    path = tmp_path / "standards.txt"
    path.write_bytes(_csv("1,Intervention,1.1,Help."))

    with pytest.raises(CommandError, match=r"name the file \.csv or \.json, or give --format"):
        call_command("load_framework", str(path))
    call_command("load_framework", str(path), format="csv", stdout=StringIO(), **_ecs_options())

    assert Framework.objects.filter(code="early-career-standards", version="2026").exists()
