"""The HR CSV import: every row or none, every problem with its line number."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import Role, User
from programmes.models import Cohort, Enrolment
from programmes.services import CohortImportError, import_cohort_csv
from tests.factories import EnrolmentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
HEADER = "email,full_name,team,programme,started_on,fte,supervisor_email"


@pytest.fixture
def team(db):
    return TeamFactory(name="Front Door")


@pytest.fixture
def helen(db):
    return UserFactory(email="helen@council.example", roles=[Role.SUPERVISOR])


def _import(lead, text: str | bytes, name: str = "ASYE January 2027"):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return import_cohort_csv(imported_by=lead, name=name, intake_on="2027-01-04", raw=raw)


def _problems(lead, text) -> list[tuple[int | None, str]]:
    before = (Cohort.objects.count(), Enrolment.objects.count())
    with pytest.raises(CohortImportError) as refusal:
        _import(lead, text)
    assert (Cohort.objects.count(), Enrolment.objects.count()) == before
    return refusal.value.problems


def test_a_clean_file_opens_the_cohort_and_enrols_every_row(lead, team, helen):
    cohort = _import(
        lead,
        "\ufeff" + HEADER + "\n"
        "ana@council.example,Ana Silva,Front Door,ASYE-CF,04/01/2027,1.0,helen@council.example\n"
        "ben@council.example,Ben Cole,front door,asye-cf,2027-01-04,0.6,\n"
        "\n",
    )
    enrolments = cohort.enrolments.order_by("worker__email")
    assert [(e.worker.email, e.fte, e.supervisor) for e in enrolments] == [
        ("ana@council.example", Decimal("1.00"), helen),
        ("ben@council.example", Decimal("0.60"), None),
    ]
    assert cohort.programme.code == "ASYE-CF"


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        pytest.param(
            "ana@council.example,Ana,Back Door,ASYE-CF,04/01/2027,1.0,",
            "unknown team “Back Door”.",
            id="unknown-team",
        ),
        pytest.param(
            "ana@council.example,Ana,Front Door,ASYE-XX,04/01/2027,1.0,",
            "unknown programme “ASYE-XX”.",
            id="unknown-programme",
        ),
        pytest.param(
            "ana@council.example,Ana,Front Door,ASYE-CF,31/02/2027,1.0,",
            "bad date “31/02/2027”: use DD/MM/YYYY or YYYY-MM-DD.",
            id="bad-date",
        ),
        pytest.param(
            "ana@council.example,Ana,Front Door,ASYE-CF,04/01/2027,1.5,",
            "FTE “1.5” is outside 0.1–1.0.",
            id="fte-too-high",
        ),
        pytest.param(
            "ana@council.example,Ana,Front Door,ASYE-CF,04/01/2027,0.05,",
            "FTE “0.05” is outside 0.1–1.0.",
            id="fte-too-low",
        ),
        pytest.param(
            "ana@council.example,Ana,Front Door,ASYE-CF,04/01/2027,full,",
            "FTE “full” is outside 0.1–1.0.",
            id="fte-not-a-number",
        ),
        pytest.param(
            "ana@council.example,Ana,Front Door,ASYE-CF,04/01/2027,1.0,nobody@council.example",
            "nobody@council.example is not a known supervisor.",
            id="unknown-supervisor",
        ),
        pytest.param(
            "not-an-email,Ana,Front Door,ASYE-CF,04/01/2027,1.0,",
            "“not-an-email” is not an email address.",
            id="bad-email",
        ),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_saved(lead, team, row, problem):
    good = "ben@council.example,Ben,Front Door,ASYE-CF,04/01/2027,1.0,"
    assert _problems(lead, f"{HEADER}\n{good}\n{row}\n") == [(3, problem)]


def test_every_problem_in_the_file_is_reported_at_once(lead, team):
    problems = _problems(
        lead,
        f"{HEADER}\n"
        "ana@council.example,Ana,Front Door,ASYE-CF,04/01/2027,1.0,\n"
        "ANA@council.example,Ana Again,Front Door,ASYE-CF,04/01/2027,1.0,\n"
        "cy@council.example,Cy,Nowhere,NOPE,tomorrow,2,\n",
    )
    assert problems == [
        (3, "duplicate email ana@council.example (also on line 2)."),
        (4, "unknown team “Nowhere”."),
        (4, "unknown programme “NOPE”."),
        (4, "bad date “tomorrow”: use DD/MM/YYYY or YYYY-MM-DD."),
        (4, "FTE “2” is outside 0.1–1.0."),
    ]


def test_someone_already_enrolled_elsewhere_is_reported(lead, team):
    existing = EnrolmentFactory()
    problems = _problems(
        lead, f"{HEADER}\n{existing.worker.email},X,Front Door,ASYE-CF,04/01/2027,1.0,\n"
    )
    assert problems == [
        (2, f"{existing.worker.email} is already enrolled on {existing.cohort.name}.")
    ]


def test_a_file_naming_two_programmes_is_refused(lead, team):
    problems = _problems(
        lead,
        f"{HEADER}\n"
        "ana@council.example,Ana,Front Door,ASYE-CF,04/01/2027,1.0,\n"
        "ben@council.example,Ben,Front Door,SWIP,04/01/2027,1.0,\n",
    )
    assert problems == [
        (None, "A cohort follows one programme, but the file names several: ASYE-CF, SWIP.")
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param(b"", (None, "The file is empty."), id="empty"),
        pytest.param(b"  \n", (None, "The file is empty."), id="blank"),
        pytest.param(
            HEADER.encode() + b"\n", (None, "The file has a header but no rows."), id="header-only"
        ),
        pytest.param(
            b"email,full_name\nana@x.example,Ana\n",
            (1, "The header is missing the column(s): team, programme, started_on, fte."),
            id="missing-columns",
        ),
        pytest.param(
            "email,full_name,team,programme,started_on,fte\nzoë@x.example,Zoë,A,B,C,D\n".encode(
                "cp1252"
            ),
            (None, "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”."),
            id="windows-1252",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            (None, "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”."),
            id="an-image",
        ),
    ],
)
def test_a_file_that_is_not_a_usable_csv_gets_a_clear_message(lead, content, problem):
    assert _problems(lead, content) == [problem]


def test_people_created_by_a_refused_import_are_not_left_behind(lead, team):
    before = User.objects.count()
    _problems(
        lead,
        f"{HEADER}\n"
        "ana@council.example,Ana,Front Door,ASYE-CF,04/01/2027,1.0,\n"
        "ben@council.example,Ben,Front Door,ASYE-CF,04/01/2027,9,\n",
    )
    assert User.objects.count() == before


def test_the_import_page_lists_each_problem_with_its_line_number(client, lead, team):
    client.force_login(lead)
    upload = SimpleUploadedFile(
        "hr.csv",
        f"{HEADER}\nana@council.example,Ana,Back Door,ASYE-CF,04/01/2027,1.0,\n".encode(),
        content_type="text/csv",
    )
    response = client.post(
        reverse("programmes:cohort-import"),
        {"name": "ASYE 2027", "intake_on": "2027-01-04", "file": upload},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 2:" in page and "unknown team “Back Door”." in page
    assert "Nothing was imported" in page
    assert not Cohort.objects.exists()


def test_the_import_page_confirms_a_good_import_and_shows_the_cohort(client, lead, team):
    client.force_login(lead)
    upload = SimpleUploadedFile(
        "hr.csv",
        f"{HEADER}\nana@council.example,Ana,Front Door,ASYE-CF,04/01/2027,1.0,\n".encode(),
    )
    response = client.post(
        reverse("programmes:cohort-import"),
        {"name": "ASYE 2027", "intake_on": "2027-01-04", "file": upload},
        follow=True,
    )
    assert "Imported 1 worker(s) into ASYE 2027." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "programmes:cohort-detail", args=[Cohort.objects.get().pk]
    )
