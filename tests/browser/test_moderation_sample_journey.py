"""The moderation sample in Chromium, by keyboard alone, with axe on every page.

The demo's lead goes from home to the moderation sample, narrows the finished portfolios to
one cohort, draws two at random, keeps the key that names each candidate, and downloads the
pack: a zip of two anonymised PDFs, named by candidate letter alone.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from typing import TYPE_CHECKING

import pytest

from assessments.models import FinalAssessment, Recommendation
from programmes.models import Cohort, Enrolment
from tests.browser.test_journeys import HOME_URL, sign_in
from tests.browser.test_supervision_journeys import activate, choose, type_into
from tests.factories import EnrolmentFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

COHORT = "ASYE September 2026"


def finish(cohort: Cohort, *, status: str = Enrolment.Status.COMPLETED) -> Enrolment:
    """A portfolio the panel has decided, so it may be sampled."""
    enrolment = EnrolmentFactory(cohort=cohort, status=status, ended_on=date(2026, 11, 30))
    FinalAssessment.objects.create(
        enrolment=enrolment,
        assessor=enrolment.assessor,
        recommendation=Recommendation.PASS,
        summary="Met every standard.",
    )
    return enrolment


def test_a_lead_draws_two_portfolios_and_downloads_the_anonymised_pack(
    page: Page, axe_check
) -> None:
    asye = Cohort.objects.get(name=COHORT)
    for _ in range(3):
        finish(asye)
    finish(Cohort.objects.get(name="ECDP early adopters October 2026"))  # filtered out

    sign_in(page, "lead", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    activate(page, page.get_by_role("link", name=re.compile("^Moderation sample")))

    expect(page.get_by_role("heading", level=1, name="Moderation sample")).to_be_visible()
    rows = page.get_by_role("table", name="Finished portfolios").locator("tbody tr")
    expect(rows).to_have_count(4)
    axe_check(page)
    choose(page, page.get_by_label("Cohort"), "ASYE S", str(asye.pk))
    activate(page, page.get_by_role("button", name="Apply filters"))

    expect(page).to_have_url(re.compile(rf"[?&]cohort={asye.pk}"))
    expect(rows).to_have_count(3)
    type_into(page, page.get_by_label("Or draw this many at random"), "2")
    activate(page, page.get_by_role("button", name="Continue"))

    heading = page.get_by_role("heading", level=1, name="Your key to the moderation sample")
    expect(heading).to_be_visible()
    expect(page.get_by_text("Keep this page: the pack does not contain names.")).to_be_visible()
    key = page.get_by_role("table").locator("tbody tr")
    expect(key).to_have_count(2)
    expect(key.get_by_role("rowheader")).to_have_text(["Candidate A", "Candidate B"])
    axe_check(page)

    with page.expect_download() as download:
        activate(page, page.get_by_role("button", name="Download the pack"))
    assert re.fullmatch(
        r"moderation-sample-\d{4}-\d\d-\d\d\.zip", download.value.suggested_filename
    )
    with zipfile.ZipFile(download.value.path()) as pack:
        assert sorted(pack.namelist()) == ["Candidate A.pdf", "Candidate B.pdf"]
        assert all(pack.read(name).startswith(b"%PDF") for name in pack.namelist())
