"""The portfolio PDF: produced offline, holding the signed-off evidence and never a draft."""

import pytest
from weasyprint.urls import URLFetcher

from assessments.models import Evidence, SignOff
from assessments.portfolio import OfflineFetcher, render_portfolio_html, render_portfolio_pdf
from tests.assessments.factories import ConcernFactory, EvidenceFactory, ReviewFactory, sign_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(enrolment):
    signed = EvidenceFactory(enrolment=enrolment, title="Signed home visit")
    sign_off(signed)
    EvidenceFactory(enrolment=enrolment, title="Draft reflection", status=Evidence.Status.DRAFT)
    EvidenceFactory(enrolment=enrolment, title="Waiting for sign-off")
    returned = EvidenceFactory(enrolment=enrolment, title="Returned case note")
    sign_off(returned, decision=SignOff.Decision.RETURNED)
    ReviewFactory(enrolment=enrolment, summary="Settling in well at three months.")
    ConcernFactory(enrolment=enrolment, reason="Recording is late.")
    return enrolment


def test_the_portfolio_is_a_pdf(year):
    assert render_portfolio_pdf(year).startswith(b"%PDF")


def test_the_portfolio_holds_only_signed_off_evidence(year):
    html = render_portfolio_html(year)
    assert "Signed home visit" in html
    assert "How to explain a plan in plain words." in html  # its text, not just its title
    for hidden in ("Draft reflection", "Waiting for sign-off", "Returned case note"):
        assert hidden not in html


def test_the_portfolio_holds_the_reviews_concerns_and_coverage(year):
    html = render_portfolio_html(year)
    assert "Settling in well at three months." in html
    assert "Recording is late." in html
    assert "1 of 10 statements evidenced" in html


def test_the_portfolio_fetches_nothing_from_the_network():
    fetcher = OfflineFetcher()
    assert isinstance(fetcher, URLFetcher)
    for url in ("https://example.org/a.css", "http://example.org/i.png", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
