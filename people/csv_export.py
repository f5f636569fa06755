"""The one way the app writes CSV: every cell is made safe to open in a spreadsheet.

A cell that starts with =, +, -, @, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets ("CSV injection"): a worker named `=HYPERLINK(...)` could turn a
lead's export into a link that sends data elsewhere. Such a cell gets a leading apostrophe,
which spreadsheets show as text and do not run (OWASP, "CSV Injection").

No other module writes CSV: tests/people/test_csv_export.py fails if one does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# The full-width forms too: some spreadsheets fold them to their ASCII twins before parsing.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value: object) -> str:
    """The value as text, with a leading apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return f"'{text}"
    return text


def write_csv(*, header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The whole file as text (RFC 4180: quoted where needed, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(value) for value in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def csv_response(
    *, filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """A download of the file; the byte-order mark makes Excel read it as UTF-8."""
    response = HttpResponse(
        write_csv(header=header, rows=rows).encode("utf-8-sig"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # Personal data: not kept by a shared proxy or the browser's cache.
    response["Cache-Control"] = "private, no-store"
    return response
