"""Caseload figures from a case system's CSV export: read as written, previewed, all or nothing."""

import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from programmes.models import CaseloadImportProfile, CaseloadSnapshot, Enrolment
from programmes.services import SnapshotRow, save_import_profile
from programmes.services.caseload_import import (
    MAXIMUM_BYTES,
    MAXIMUM_ROWS,
    CaseloadImportError,
    held_caseload_file,
    hold_caseload_file,
    import_caseload_file,
    preview_caseload_import,
    read_caseload_file,
)
from programmes.views.caseload_import import HELD
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

# Relative to today, so that no figure is ever in the future however the clock stands.
TODAY = timezone.localdate()
STARTED_ON = TODAY - timedelta(days=70)
FIRST = STARTED_ON + timedelta(days=7)
SECOND = STARTED_ON + timedelta(days=14)
HEADING = "Worker Email,Snapshot Date,Open Cases – current,CP Lead,Worker name"


def dmy(day) -> str:
    return f"{day:%d/%m/%Y}"


@pytest.fixture
def ana(db):
    return EnrolmentFactory(
        worker__email="ana@council.example",
        worker__full_name="Ana Silva",
        worker__swe_registration_number="SW123456",
        started_on=STARTED_ON,
    )


@pytest.fixture
def ben(db):
    return EnrolmentFactory(
        worker__email="ben@council.example", worker__full_name="Ben Cole", started_on=STARTED_ON
    )


@pytest.fixture
def profile(lead):
    return save_import_profile(
        saved_by=lead,
        name="Mosaic weekly",
        columns={
            "worker": "Worker Email",
            "as_of": "Snapshot Date",
            "open_cases": "Open Cases – current",
            "child_protection_cases": "CP Lead",
        },
    )


def _csv(*lines: str) -> bytes:
    return "\r\n".join([HEADING, *lines, ""]).encode("utf-8")


def _nothing_saved() -> bool:
    return not CaseloadSnapshot.objects.exists() and not CaseloadSnapshot.history.exists()


def _problems(lead, profile, data: bytes) -> list:
    with pytest.raises(CaseloadImportError) as refusal:
        import_caseload_file(imported_by=lead, data=data, profile=profile)
    assert _nothing_saved()
    return refusal.value.problems


# --- Reading the file as the case system writes it


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-8"), id="utf-8"),
        pytest.param(lambda text: text.encode("utf-8-sig"), id="utf-8-with-bom"),
        pytest.param(lambda text: text.encode("cp1252"), id="windows-1252"),
    ],
)
def test_the_file_is_read_in_utf8_with_or_without_bom_or_windows_1252(ana, profile, encode):
    # The en dash in the heading, and é and £ in a column the profile ignores, are where
    # the encodings differ: a wrong guess would not find the open-cases column.
    text = f"{HEADING}\r\nana@council.example,{dmy(FIRST)},9,1,Zoë Brontë-Léa (£)\r\n"
    rows, problems = read_caseload_file(encode(text), profile)
    assert problems == []
    assert rows == [
        SnapshotRow(enrolment_id=ana.pk, as_of=FIRST, open_cases=9, child_protection_cases=1)
    ]


def test_dates_may_be_day_month_year_or_iso(ana, profile):
    rows, problems = read_caseload_file(
        _csv(
            f"ana@council.example,{dmy(FIRST)},9,1,",
            f"ana@council.example,{SECOND.isoformat()},8,0,",
        ),
        profile,
    )
    assert problems == []
    assert [(row.as_of, row.open_cases) for row in rows] == [(FIRST, 9), (SECOND, 8)]


def test_headings_match_in_any_order_case_and_spacing(ana, profile):
    data = (
        "  open cases –   CURRENT ,Extra column,worker email,SNAPSHOT DATE,cp lead\n"
        f"9,whatever,ana@council.example,{dmy(FIRST)},2\n"
    ).encode()
    rows, problems = read_caseload_file(data, profile)
    assert problems == []
    assert [(row.open_cases, row.child_protection_cases) for row in rows] == [(9, 2)]


def test_a_semicolon_separated_file_is_read(ana, profile):
    data = (
        "Worker Email;Snapshot Date;Open Cases – current;CP Lead\n"
        f"ana@council.example;{dmy(FIRST)};9;1\n"
    ).encode()
    rows, problems = read_caseload_file(data, profile)
    assert problems == [] and rows[0].open_cases == 9


@pytest.mark.parametrize(
    "key",
    ["ana@council.example", " ANA@Council.example ", "SW123456", "sw123456"],
)
def test_the_worker_is_found_by_email_or_social_work_england_number(ana, profile, key):
    rows, problems = read_caseload_file(_csv(f'"{key}",{dmy(FIRST)},9,1,'), profile)
    assert problems == []
    assert rows[0].enrolment_id == ana.pk


def test_a_figure_goes_to_the_enrolment_covering_its_date(lead, profile):
    earlier = EnrolmentFactory(
        worker__email="cy@council.example",
        started_on=STARTED_ON - timedelta(days=400),
        ended_on=STARTED_ON - timedelta(days=300),
        status=Enrolment.Status.WITHDRAWN,
    )
    later = EnrolmentFactory(worker=earlier.worker, started_on=STARTED_ON)
    rows, problems = read_caseload_file(
        _csv(
            f"cy@council.example,{dmy(STARTED_ON - timedelta(days=350))},5,0,",
            f"cy@council.example,{dmy(FIRST)},7,0,",
        ),
        profile,
    )
    assert problems == []
    assert [row.enrolment_id for row in rows] == [earlier.pk, later.pk]


def test_optional_figures_left_blank_are_stored_as_zero_or_none(ana, lead):
    profile = save_import_profile(
        saved_by=lead,
        name="LCS",
        columns={
            "worker": "Email",
            "as_of": "Date",
            "open_cases": "Open",
            "child_protection_cases": "CP",
            "complex_cases": "Complex",
            "weighted_complexity": "Weight",
        },
    )
    data = (
        "Email,Date,Open,CP,Complex,Weight\n"
        f"ana@council.example,{dmy(FIRST)},9,,,\n"
        f"ana@council.example,{dmy(SECOND)},9,2,1,12.345\n"
    ).encode()
    rows, problems = read_caseload_file(data, profile)
    assert problems == []
    assert [
        (row.child_protection_cases, row.complex_cases, row.weighted_complexity) for row in rows
    ] == [(0, None, None), (2, 1, Decimal("12.35"))]


def test_blank_rows_are_skipped_but_still_counted_as_a_spreadsheet_counts_them(ana, lead, profile):
    problems = _problems(
        lead,
        profile,
        _csv(f"ana@council.example,{dmy(FIRST)},9,1,", ",,,,", "", "nobody@council.example,x,1,0,"),
    )
    assert [line for line, _problem in problems] == [5, 5]


def test_a_quoted_value_over_two_lines_is_one_spreadsheet_row(ana, lead, profile):
    problems = _problems(
        lead,
        profile,
        _csv(
            f'ana@council.example,{dmy(FIRST)},9,1,"Ana\nSilva"',
            f"ana@council.example,{dmy(SECOND)},x,0,",
        ),
    )
    assert problems == [(3, "Open cases “x” is not a whole number of cases, zero or more.")]


# --- One bad row anywhere: nothing saved, every problem with its line


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        pytest.param(
            f"nobody@council.example,{dmy(FIRST)},9,0,",
            "Nobody enrolled in Footing has the email or Social Work England number "
            "“nobody@council.example”.",
            id="unknown-worker",
        ),
        pytest.param(
            f"ana@council.example,{dmy(STARTED_ON - timedelta(days=1))},9,0,",
            f"Ana Silva was not on a programme on {STARTED_ON - timedelta(days=1):%-d %B %Y}.",
            id="before-the-programme",
        ),
        pytest.param(
            ",01/01/2026,9,0,",
            "The worker's email or Social Work England number is missing.",
            id="no-worker",
        ),
        pytest.param(
            "ana@council.example,31/02/2026,9,0,",
            "Bad date “31/02/2026”: use DD/MM/YYYY or YYYY-MM-DD.",
            id="impossible-date",
        ),
        pytest.param("ana@council.example,,9,0,", "The date is missing.", id="missing-date"),
        pytest.param(
            f"ana@council.example,{dmy(TODAY + timedelta(days=1))},9,0,",
            "The date must be today or in the past.",
            id="future-date",
        ),
        pytest.param(
            f"ana@council.example,{dmy(FIRST)},,0,",
            "The number of open cases is missing.",
            id="missing-open-cases",
        ),
        pytest.param(
            f"ana@council.example,{dmy(FIRST)},9.5,0,",
            "Open cases “9.5” is not a whole number of cases, zero or more.",
            id="not-whole",
        ),
        pytest.param(
            f"ana@council.example,{dmy(FIRST)},-1,0,",
            "Open cases “-1” is not a whole number of cases, zero or more.",
            id="negative",
        ),
        pytest.param(
            f"ana@council.example,{dmy(FIRST)},9,two,",
            "Child-protection cases held as lead “two” is not a whole number of cases, "
            "zero or more.",
            id="cp-not-a-number",
        ),
        pytest.param(
            f"ana@council.example,{dmy(FIRST)},900,0,",
            "Open cases “900” is more than 500: check the figure.",
            id="implausibly-many",
        ),
        pytest.param(
            f"ana@council.example,{dmy(FIRST)},3,4,",
            "Child-protection cases are part of the open cases: they cannot be more.",
            id="cp-above-open",
        ),
        pytest.param(
            f"ana@council.example,{dmy(SECOND)},12,0,",
            f"Line 2 has different figures for Ana Silva on {SECOND:%-d %B %Y}.",
            id="same-day-twice-differently",
        ),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_saved(
    ana, ben, lead, profile, row, problem
):
    data = _csv(
        f"ana@council.example,{dmy(SECOND)},9,1,",
        f"ben@council.example,{dmy(SECOND)},4,0,",
        row,
        f"ben@council.example,{dmy(FIRST)},4,0,",
    )
    assert _problems(lead, profile, data) == [(4, problem)]


def test_the_same_row_twice_counts_once(ana, lead, profile):
    line = f"ana@council.example,{dmy(FIRST)},9,1,"
    result = import_caseload_file(imported_by=lead, data=_csv(line, line), profile=profile)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)


def test_every_problem_in_the_file_is_reported_at_once(ana, lead, profile):
    problems = _problems(
        lead,
        profile,
        _csv(
            "nobody@council.example,soon,x,0,",
            f"ana@council.example,{dmy(FIRST)},9,1,",
            f"ana@council.example,{dmy(FIRST)},3,4,",
        ),
    )
    assert problems == [
        (
            2,
            "Nobody enrolled in Footing has the email or Social Work England number "
            "“nobody@council.example”.",
        ),
        (2, "Bad date “soon”: use DD/MM/YYYY or YYYY-MM-DD."),
        (2, "Open cases “x” is not a whole number of cases, zero or more."),
        (4, "Child-protection cases are part of the open cases: they cannot be more."),
        (4, f"Line 3 has different figures for Ana Silva on {FIRST:%-d %B %Y}."),
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        pytest.param(b"", (None, "The file is empty."), id="empty"),
        pytest.param(b" \r\n", (None, "The file is empty."), id="blank"),
        pytest.param(
            HEADING.encode() + b"\r\n\r\n",
            (None, "The file has a heading but no rows."),
            id="heading-only",
        ),
        pytest.param(
            b"\xff\xfeW\x00o\x00",
            (None, "The file is saved as Unicode (UTF-16) text. Save it as CSV instead."),
            id="utf-16",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            (None, "The file contains NUL characters: is it really a CSV?"),
            id="an-image",
        ),
        pytest.param(
            b"x" * (MAXIMUM_BYTES + 1),
            (None, "The file is larger than 5 MB. Split it and import each part."),
            id="too-big",
        ),
        pytest.param(
            _csv(*[f"ana@council.example,{dmy(FIRST)},9,1,"] * (MAXIMUM_ROWS + 1)),
            (None, "The file has more than 20,000 rows. Split it and import each part."),
            id="too-many-rows",
        ),
    ],
)
def test_a_file_that_cannot_be_read_gets_one_clear_message(lead, profile, data, problem):
    assert _problems(lead, profile, data) == [problem]


def test_a_missing_column_is_one_error_naming_it(ana, lead, profile):
    data = f"Worker Email,Date,Open Cases – current,CP Lead\nana@council.example,{dmy(FIRST)},9,1\n"
    assert _problems(lead, profile, data.encode()) == [
        (
            1,
            "There is no column headed “Snapshot Date” (Date of the figures). The profile "
            "“Mosaic weekly” expects one: check this is that system's export.",
        )
    ]


def test_a_heading_that_appears_twice_is_refused(ana, lead, profile):
    data = f"{HEADING},worker email\nana@council.example,{dmy(FIRST)},9,1,Ana,x\n".encode()
    assert _problems(lead, profile, data) == [
        (
            1,
            "The heading “Worker Email” appears more than once, so Footing cannot tell "
            "which column holds “Worker's email or Social Work England number”.",
        )
    ]


def test_a_profile_with_unknown_or_missing_fields_is_refused(ana, lead):
    # Only an edit outside the service (the admin, a shell) can leave a profile like this.
    profile = CaseloadImportProfile.objects.create(
        name="Hand-made",
        columns={"worker": "Worker Email", "open_cases": "Open", "shoe_size": "Shoes"},
        created_by=lead,
    )
    assert _problems(lead, profile, _csv(f"ana@council.example,{dmy(FIRST)},9,1,")) == [
        (
            None,
            "The profile “Hand-made” names fields Footing does not know: shoe_size. "
            "Save the profile again from the import profiles page.",
        ),
        (None, "The profile “Hand-made” does not name the column for “Date of the figures”."),
    ]


# --- Preview, import, re-import


def test_a_preview_saves_nothing_and_says_what_would_change(ana, ben, lead, profile):
    import_caseload_file(
        imported_by=lead, data=_csv(f"ana@council.example,{dmy(FIRST)},9,1,"), profile=profile
    )
    history_before = CaseloadSnapshot.history.count()
    preview = preview_caseload_import(
        previewed_by=lead,
        data=_csv(
            f"ana@council.example,{dmy(FIRST)},11,1,",
            f"ben@council.example,{dmy(FIRST)},4,0,",
        ),
        profile=profile,
    )
    assert (preview.created, preview.changed, preview.unchanged) == (1, 1, 0)
    assert preview.can_confirm
    changed, new = preview.rows
    assert (changed.line, changed.enrolment, changed.is_new) == (2, ana, False)
    assert [(f.field, f.old, f.new, f.is_changed) for f in changed.figures] == [
        ("open_cases", 9, 11, True),
        ("child_protection_cases", 1, 1, False),
    ]
    assert (new.line, new.enrolment, new.is_new) == (3, ben, True)
    assert CaseloadSnapshot.objects.get().open_cases == 9
    assert CaseloadSnapshot.history.count() == history_before


def test_a_preview_of_a_bad_file_saves_nothing_and_cannot_be_confirmed(ana, lead, profile):
    preview = preview_caseload_import(
        previewed_by=lead,
        data=_csv(f"ana@council.example,{dmy(FIRST)},9,1,", "nobody@x.example,01/01/2026,1,0,"),
        profile=profile,
    )
    assert not preview.can_confirm
    assert [line for line, _problem in preview.problems] == [3]
    assert _nothing_saved()


def test_a_preview_shows_a_figure_the_profile_leaves_out_when_it_would_change(ana, lead):
    profile = save_import_profile(
        saved_by=lead,
        name="Bare",
        columns={"worker": "Email", "as_of": "Date", "open_cases": "Open"},
    )
    full = save_import_profile(
        saved_by=lead,
        name="Full",
        columns={
            "worker": "Email",
            "as_of": "Date",
            "open_cases": "Open",
            "child_protection_cases": "CP",
        },
    )
    import_caseload_file(
        imported_by=lead,
        data=f"Email,Date,Open,CP\nana@council.example,{dmy(FIRST)},9,2\n".encode(),
        profile=full,
    )
    preview = preview_caseload_import(
        previewed_by=lead,
        data=f"Email,Date,Open\nana@council.example,{dmy(FIRST)},9\n".encode(),
        profile=profile,
    )
    assert [field for field, _label in preview.figures] == ["open_cases", "child_protection_cases"]
    assert [(f.old, f.new) for f in preview.rows[0].figures] == [(9, 9), (2, 0)]


def test_an_import_saves_every_row_as_imported_by_the_lead(
    ana, ben, lead, profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        result = import_caseload_file(
            imported_by=lead,
            data=_csv(
                f"ana@council.example,{dmy(FIRST)},9,1,",
                f"ben@council.example,{SECOND.isoformat()},4,0,",
            ),
            profile=profile,
        )
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert sorted(
        CaseloadSnapshot.objects.values_list("enrolment", "as_of", "open_cases", "source")
    ) == sorted([(ana.pk, FIRST, 9, "csv"), (ben.pk, SECOND, 4, "csv")])
    assert set(CaseloadSnapshot.history.values_list("history_user", flat=True)) == {lead.pk}
    assert len(callbacks) == 1  # breach detection, queued once the figures are committed


def test_importing_the_same_file_again_changes_nothing(ana, ben, lead, profile):
    data = _csv(f"ana@council.example,{dmy(FIRST)},9,1,", f"ben@council.example,{dmy(FIRST)},4,0,")
    import_caseload_file(imported_by=lead, data=data, profile=profile)
    history = CaseloadSnapshot.history.count()
    result = import_caseload_file(imported_by=lead, data=data, profile=profile)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert CaseloadSnapshot.history.count() == history


def test_a_changed_figure_replaces_the_stored_one_and_history_keeps_the_old(ana, lead, profile):
    import_caseload_file(
        imported_by=lead, data=_csv(f"ana@council.example,{dmy(FIRST)},9,1,"), profile=profile
    )
    result = import_caseload_file(
        imported_by=lead, data=_csv(f"ana@council.example,{dmy(FIRST)},12,1,"), profile=profile
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    snapshot = CaseloadSnapshot.objects.get()
    assert snapshot.open_cases == 12
    assert [row.open_cases for row in snapshot.history.order_by("history_date")] == [9, 12]


def test_only_a_lead_may_preview_or_import(ana, profile):
    for person in (ana.worker, ana.supervisor, ana.worker.team.manager):
        with pytest.raises(PermissionDenied):
            preview_caseload_import(previewed_by=person, data=_csv(), profile=profile)
        with pytest.raises(PermissionDenied):
            import_caseload_file(imported_by=person, data=_csv(), profile=profile)


def test_the_preview_takes_the_same_queries_for_many_workers(
    lead, profile, django_assert_max_num_queries
):
    def file_for(count: int) -> bytes:
        enrolments = EnrolmentFactory.create_batch(count, started_on=STARTED_ON)
        return _csv(*(f"{e.worker.email},{dmy(FIRST)},5,0," for e in enrolments))

    small, large = file_for(3), file_for(60)
    # the enrolments of the workers named; their stored figures for the file's dates
    with django_assert_max_num_queries(2):
        preview_caseload_import(previewed_by=lead, data=small, profile=profile)
    with django_assert_max_num_queries(2):
        assert preview_caseload_import(previewed_by=lead, data=large, profile=profile).created == 60


def test_a_held_file_is_kept_privately_and_found_only_by_its_token(settings):
    token = hold_caseload_file(b"some,bytes\n")
    assert held_caseload_file(token) == b"some,bytes\n"
    assert held_caseload_file("../../etc/passwd") is None
    assert held_caseload_file("a" * 32) is None
    held = next((settings.MEDIA_ROOT / "caseload-imports").iterdir())
    assert held.stat().st_mode & 0o077 == 0


def test_a_held_file_older_than_a_session_is_removed_by_the_next_upload(settings):
    stale = hold_caseload_file(b"old\n")
    path = settings.MEDIA_ROOT / "caseload-imports" / f"{stale}.csv"
    past_the_session = path.stat().st_mtime - settings.SESSION_COOKIE_AGE - 60
    os.utime(path, (past_the_session, past_the_session))
    fresh = hold_caseload_file(b"new\n")
    assert held_caseload_file(stale) is None
    assert held_caseload_file(fresh) == b"new\n"


# --- Import profiles


def test_a_lead_adds_a_profile_through_the_form(client, lead):
    client.force_login(lead)
    response = client.post(
        reverse("programmes:import-profile-create"),
        {
            "name": "Eclipse daily",
            "worker": "SWE number",
            "as_of": "Extract date",
            "open_cases": "Allocated cases",
            "child_protection_cases": "",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("programmes:import-profile-list")
    page = response.content.decode()
    assert "Import profile “Eclipse daily” saved." in page
    assert "“Allocated cases”" in page and "Not in this export" in page
    assert CaseloadImportProfile.objects.get().columns == {
        "worker": "SWE number",
        "as_of": "Extract date",
        "open_cases": "Allocated cases",
    }


def test_a_profile_needs_a_name_and_the_required_columns(client, lead):
    client.force_login(lead)
    response = client.post(
        reverse("programmes:import-profile-create"), {"name": " ", "worker": "Email"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "as_of", "open_cases"}
    assert "Give the heading of the column that holds this" in form.errors["as_of"]
    assert "<title>Error:" in response.content.decode()
    assert not CaseloadImportProfile.objects.exists()


@pytest.mark.parametrize(
    "route",
    [
        "programmes:caseload-import",
        "programmes:import-profile-list",
        "programmes:import-profile-create",
    ],
)
@pytest.mark.parametrize(
    ("persona", "status_code"),
    [
        ("anonymous", 302),
        ("worker", 403),
        ("supervisor", 403),
        ("assessor", 403),
        ("manager", 403),
        ("lead", 200),
        ("outsider", 403),
    ],
)
def test_only_a_lead_may_import_or_keep_profiles(client, request, route, persona, status_code):
    user = request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)
    assert client.get(reverse(route)).status_code == status_code


def test_a_non_lead_cannot_post_a_file_either(client, manager, profile, ana):
    client.force_login(manager)
    upload = SimpleUploadedFile("x.csv", _csv(f"ana@council.example,{dmy(FIRST)},9,1,"))
    response = client.post(
        reverse("programmes:caseload-import"), {"profile": profile.pk, "file": upload}
    )
    assert response.status_code == 403
    assert _nothing_saved()


# --- The pages, upload to confirmation


def _upload(client, profile, data: bytes):
    upload = SimpleUploadedFile("mosaic.csv", data, content_type="text/csv")
    return client.post(
        reverse("programmes:caseload-import"), {"profile": profile.pk, "file": upload}
    )


def _confirm(client, token=None):
    token = token or client.session[HELD]["token"]
    return client.post(reverse("programmes:caseload-import"), {"confirm": token}, follow=True)


def test_with_no_profile_the_import_page_says_to_add_one(client, lead):
    client.force_login(lead)
    page = client.get(reverse("programmes:caseload-import")).content.decode()
    assert reverse("programmes:import-profile-create") in page
    assert 'type="file"' not in page


def test_upload_preview_confirm_then_again_changes_nothing(client, lead, profile, ana, ben):
    client.force_login(lead)
    import_caseload_file(
        imported_by=lead, data=_csv(f"ana@council.example,{dmy(FIRST)},9,1,"), profile=profile
    )
    data = _csv(f"ana@council.example,{dmy(FIRST)},11,1,", f"ben@council.example,{dmy(FIRST)},4,0,")

    preview = _upload(client, profile, data)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Confirm import" in page and "Ana Silva" in page and "Ben Cole" in page
    assert '9 <span aria-hidden="true">→</span>' in page and "<strong>11</strong>" in page
    assert CaseloadSnapshot.objects.get(enrolment=ana).open_cases == 9  # nothing saved yet
    # The file waits on the server: the only hidden fields are CSRF tokens.
    assert set(re.findall(r'type="hidden" name="([^"]+)"', page)) == {"csrfmiddlewaretoken"}
    token = client.session[HELD]["token"]
    assert held_caseload_file(token) == data

    done = _confirm(client)
    assert done.redirect_chain[-1][0] == reverse("programmes:caseload-import")
    assert "Caseload figures imported: 1 new, 1 changed, 0 unchanged." in done.content.decode()
    assert CaseloadSnapshot.objects.get(enrolment=ana).open_cases == 11
    assert held_caseload_file(token) is None and HELD not in client.session

    again = _upload(client, profile, data).content.decode()
    assert "importing it changes nothing" in again
    done = _confirm(client)
    assert "Caseload figures imported: 0 new, 0 changed, 2 unchanged." in done.content.decode()


def test_a_bad_file_is_previewed_with_its_problems_and_cannot_be_confirmed(
    client, lead, profile, ana
):
    client.force_login(lead)
    response = _upload(
        client,
        profile,
        _csv(f"ana@council.example,{dmy(FIRST)},9,1,", "nobody@x.example,01/01/2026,1,0,"),
    )
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "Line 3:" in page and "“nobody@x.example”" in page
    assert "Confirm import" not in page and "Upload a corrected file" in page
    assert HELD not in client.session
    refused = _confirm(client, token="a" * 32)
    assert "Upload the file again" in refused.content.decode()
    assert _nothing_saved()


def test_confirming_an_older_preview_after_a_newer_upload_is_refused(client, lead, profile, ana):
    client.force_login(lead)
    _upload(client, profile, _csv(f"ana@council.example,{dmy(FIRST)},9,1,"))
    first = client.session[HELD]["token"]
    _upload(client, profile, _csv(f"ana@council.example,{dmy(FIRST)},30,1,"))
    refused = _confirm(client, token=first)
    assert "That preview is out of date" in refused.content.decode()
    assert held_caseload_file(first) is None  # the older upload is not kept
    assert _nothing_saved()


def test_confirming_checks_the_file_again(client, lead, profile, ana):
    client.force_login(lead)
    _upload(client, profile, _csv(f"ana@council.example,{dmy(FIRST)},9,1,"))
    ana.ended_on = STARTED_ON + timedelta(days=1)  # ended, and recorded, since the preview
    ana.save()
    response = _confirm(client)
    page = response.content.decode()
    assert "Line 2:" in page and "was not on a programme on" in page
    assert "Confirm import" not in page
    assert _nothing_saved()


def test_the_form_needs_a_profile_and_a_file(client, lead, profile):
    client.force_login(lead)
    response = client.post(reverse("programmes:caseload-import"), {})
    assert set(response.context["form"].errors) == {"profile", "file"}
    assert "<title>Error:" in response.content.decode()


def test_the_cohort_list_links_a_lead_to_the_caseload_import(client, lead, manager):
    client.force_login(lead)
    assert (
        reverse("programmes:caseload-import")
        in client.get(reverse("programmes:cohort-list")).content.decode()
    )
    client.force_login(manager)
    assert (
        reverse("programmes:caseload-import")
        not in client.get(reverse("programmes:cohort-list")).content.decode()
    )
