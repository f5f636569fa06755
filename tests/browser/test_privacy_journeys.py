"""Privacy pages in Chromium, with axe: the public notices, and a lead's subject access export."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.test_journeys import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect


def test_the_privacy_notice_and_accessibility_statement_are_open_to_everyone(
    page: Page, axe_check
) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    axe_check(page)
    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement for Footing")
    axe_check(page)


def test_a_lead_finds_a_person_and_downloads_their_subject_access_export(
    page: Page, axe_check
) -> None:
    sign_in(page, "lead")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    axe_check(page)

    page.get_by_label("Search by name or email").fill("alex morgan")
    page.get_by_role("button", name="Search").click()
    people = page.get_by_role("table")
    expect(people.get_by_role("row")).to_have_count(2)  # the header and Alex
    axe_check(page)

    people.get_by_role("link", name=re.compile("Subject access")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access export")
    axe_check(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the export (ZIP)").click()
    assert re.fullmatch(
        r"subject-access-\d+-\d{4}-\d\d-\d\d\.zip", download.value.suggested_filename
    )
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as archive:
        person = json.loads(archive.read("person.json"))
    assert person["sections"]["people.profile"]["full_name"] == "Alex Morgan"
