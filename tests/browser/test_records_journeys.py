"""Documents and history in Chromium, with axe: a worker files a document, a lead reads why."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.test_journeys import sign_in

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect


def test_a_worker_uploads_a_document_after_a_refused_file(
    page: Page, axe_check, tmp_path: Path
) -> None:
    renamed = tmp_path / "agreement.pdf"
    renamed.write_bytes(b"MZ\x90\x00 an executable with a PDF name")
    real = tmp_path / "agreement-signed.pdf"
    real.write_bytes(b"%PDF-1.7\n%%EOF\n")

    sign_in(page, "worker")
    page.get_by_role("link", name="See your whole schedule").click()
    page.get_by_role("link", name="Upload a document").click()
    axe_check(page)
    page.get_by_label("What is it?").select_option("learning-agreement")
    page.get_by_label("Title").fill("Learning agreement")
    page.get_by_label("File").set_input_files(str(renamed))
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_title("Error: Upload a document – Footing")
    expect(page.get_by_role("alert")).to_contain_text("must be a PDF, a Word document")
    axe_check(page)

    page.get_by_label("File").set_input_files(str(real))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Document uploaded.")).to_be_visible()
    expect(page.get_by_role("link", name="Learning agreement", exact=True)).to_be_visible()
    axe_check(page)


def test_a_lead_changes_an_enrolment_and_reads_it_in_the_history(page: Page, axe_check) -> None:
    sign_in(page, "lead")
    page.get_by_role("link", name="ASYE September 2026").first.click()
    page.get_by_role("link", name="Alex Morgan").click()
    page.get_by_role("button", name="Change enrolment").click()
    page.get_by_label("FTE").fill("0.8")
    page.get_by_label("Why is this changing?").fill("Agreed flexible working from January")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Enrolment updated.")).to_be_visible()
    page.get_by_role("link", name="See this enrolment's history").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History of Alex Morgan")
    expect(page.get_by_text("Agreed flexible working from January")).to_be_visible()
    expect(page.get_by_text("1.00 → 0.80")).to_be_visible()
    axe_check(page)
