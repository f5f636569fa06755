"""The portfolio the moderation panel reads: one PDF of the worker's year.

Rendered from templates/assessments/portfolio/portfolio.html with WeasyPrint, offline: the print
styles are read from portfolio.css beside this module (the templates hold no inline style, as the
CSP demands of every page), and the fetcher refuses every address, so no network is touched and
nothing outside the document can be pulled into it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from assessments.models import Evidence, Statement
from assessments.selectors import coverage_of
from assessments.selectors import reviews as selectors
from programmes.models import Enrolment

PRINT_STYLES = Path(__file__).with_name("portfolio.css")


class OfflineFetcher(URLFetcher):
    """Fetches nothing but inline data: a portfolio never reaches out to the network."""

    def fetch(self, url: str, headers: dict | None = None):
        if not url.startswith("data:"):
            raise ValueError("The portfolio is rendered offline; no address is fetched.")
        return super().fetch(url, headers)


def portfolio_context(enrolment: Enrolment, *, on: date) -> dict:
    """Everything the panel needs: signed-off evidence only (never a draft, never a returned
    item), the coverage matrix, the reviews, concerns, final assessment and moderation."""
    evidence = list(
        Evidence.objects.signed_off()
        .filter(enrolment=enrolment)
        .prefetch_related(
            Prefetch(
                "statements",
                queryset=Statement.objects.select_related("standard").order_by(
                    "standard__position", "position"
                ),
            )
        )
        .order_by("occurred_on", "pk")
    )
    final = selectors.final_assessment_of(enrolment)
    return {
        "enrolment": enrolment,
        "on": on,
        "coverage": coverage_of(enrolment),
        "evidence": evidence,
        "schedule": selectors.review_schedule(enrolment, on=on),
        "reviews": list(enrolment.reviews.select_related("recorded_by").order_by("months")),
        "concerns": selectors.concerns_for_enrolment(enrolment),
        "final": final,
        "decisions": list(final.moderation_decisions.all()) if final else [],
    }


def render_portfolio_html(enrolment: Enrolment, *, on: date | None = None) -> str:
    context = portfolio_context(enrolment, on=on or timezone.localdate())
    return render_to_string("assessments/portfolio/portfolio.html", context)


def render_portfolio_pdf(enrolment: Enrolment, *, on: date | None = None) -> bytes:
    html = render_portfolio_html(enrolment, on=on)
    fetcher = OfflineFetcher()
    styles = CSS(string=PRINT_STYLES.read_text(encoding="utf-8"), url_fetcher=fetcher)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(stylesheets=[styles])
