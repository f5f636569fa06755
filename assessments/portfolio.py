"""The portfolio the moderation panel reads: one PDF of the worker's year.

Rendered from templates/assessments/portfolio/portfolio.html with WeasyPrint, offline: the print
styles are read from portfolio.css beside this module (the templates hold no inline style, as the
CSP demands of every page), and the fetcher refuses every address, so no network is touched and
nothing outside the document can be pulled into it.

A moderation sample asks for it anonymised: the worker under a candidate label, everyone
around them by their role, and their names taken out of every free-text field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from assessments.anonymise import name_parts, scrubber
from assessments.models import Evidence, SignOff, Statement
from assessments.selectors import coverage_of
from assessments.selectors import reviews as selectors
from people.models import User
from programmes.models import Enrolment

PRINT_STYLES = Path(__file__).with_name("portfolio.css")


class OfflineFetcher(URLFetcher):
    """Fetches nothing but inline data: a portfolio never reaches out to the network."""

    def fetch(self, url: str, headers: dict | None = None):
        if not url.startswith("data:"):
            raise ValueError("The portfolio is rendered offline; no address is fetched.")
        return super().fetch(url, headers)


def portfolio_context(enrolment: Enrolment, *, on: date, anonymised_as: str | None = None) -> dict:
    """Everything the panel needs: signed-off evidence only (never a draft, never a returned
    item), the coverage matrix, the reviews, concerns, final assessment and moderation.

    With `anonymised_as`, the worker is that label, the people around them are their roles,
    and every record's free text is read through the scrubber."""
    evidence_rows = Evidence.objects.signed_off().filter(enrolment=enrolment)
    if anonymised_as:
        evidence_rows = evidence_rows.select_related("observation__observer")
    evidence = list(
        evidence_rows.prefetch_related(
            Prefetch(
                "statements",
                queryset=Statement.objects.select_related("standard").order_by(
                    "standard__position", "position"
                ),
            )
        ).order_by("occurred_on", "pk")
    )
    final = selectors.final_assessment_of(enrolment)
    context = {
        "enrolment": enrolment,
        "on": on,
        "coverage": coverage_of(enrolment),
        "evidence": evidence,
        "schedule": selectors.review_schedule(enrolment, on=on),
        "reviews": list(enrolment.reviews.select_related("recorded_by").order_by("months")),
        "concerns": selectors.concerns_for_enrolment(enrolment),
        "final": final,
        "standard_summaries": list(final.standard_summaries.all()) if final else [],
        "decisions": list(final.moderation_decisions.all()) if final else [],
        "worker_name": enrolment.worker.full_name,
        "supervisor_name": enrolment.supervisor.full_name if enrolment.supervisor else "",
        "assessor_name": enrolment.assessor.full_name if enrolment.assessor else "",
        "final_assessor_name": final.assessor.full_name if final else "",
    }
    if anonymised_as:
        context.update(_anonymised(context, label=anonymised_as))
    return context


# The free text of each record the portfolio shows: where a name can have been typed.
FREE_TEXT = {
    "evidence": (
        "title",
        "what_happened",
        "what_i_learned",
        "what_i_will_do",
        "body",
        "source_name",
        "source_relationship",
    ),
    "reviews": ("attendees", "summary", "actions"),
    "concerns": ("reason", "action_plan", "outcome"),
    "final": ("summary",),
    "standard_summaries": ("summary",),
    "decisions": ("panel", "reasons"),
}


class Scrubbed:
    """A record as the template reads it, with its free-text fields scrubbed of names.

    A view of the record, not a change to it: nothing is written back, and the caller's own
    objects are left as they were.
    """

    def __init__(self, record: object, scrub: Callable[[str], str], fields: Iterable[str]) -> None:
        self._record = record
        self._scrub = scrub
        self._fields = frozenset(fields)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # only the record's public fields, never this view's own
            raise AttributeError(name)
        value = getattr(self._record, name)
        return self._scrub(value) if name in self._fields else value


def _person_terms(person: User | None) -> tuple[str, ...]:
    if person is None:
        return ()
    terms = (person.full_name, person.email, person.swe_registration_number)
    return tuple(term for term in terms if term)


def _aliases(context: dict, *, label: str) -> list[tuple[str, str]]:
    """Who is named, and the label each gets: the worker first, then by role, then in order."""
    enrolment = context["enrolment"]
    worker = enrolment.worker
    aliases = [(term, label) for term in (*name_parts(worker.full_name), *_person_terms(worker))]
    supervisor, assessor = _("Supervisor"), _("Assessor")
    # Whoever signed off an item assessed it, even if the enrolment has another assessor now.
    signers = User.objects.filter(
        pk__in=SignOff.objects.filter(evidence__in=context["evidence"]).values("assessor")
    ).order_by("pk")
    final = context["final"]
    by_role = [
        (enrolment.supervisor, supervisor),
        (enrolment.assessor, assessor),
        (final.assessor if final else None, assessor),
        *((signer, assessor) for signer in signers),
    ]
    labelled = {worker.pk}
    for person, role in by_role:
        if person is not None:
            aliases += [(term, role) for term in _person_terms(person)]
            labelled.add(person.pk)
    # An observer already named by role (the supervisor, most often) is not numbered.
    observers = {
        item.observation.observer.pk: item.observation.observer
        for item in context["evidence"]
        if item.kind == Evidence.Kind.OBSERVATION
        and hasattr(item, "observation")
        and item.observation.observer_id not in labelled
    }
    for number, observer in enumerate(observers.values(), start=1):
        observer_label = _("Observer %(number)s") % {"number": number}
        aliases += [(term, observer_label) for term in _person_terms(observer)]
    givers: dict[str, str] = {}
    for item in context["evidence"]:
        key = " ".join(item.source_name.split()).casefold()
        if key and key not in givers:
            givers[key] = _("Feedback giver %(number)s") % {"number": len(givers) + 1}
            aliases.append((item.source_name, givers[key]))
    return aliases


def _anonymised(context: dict, *, label: str) -> dict:
    scrub = scrubber(_aliases(context, label=label))
    final = context["final"]
    return {
        "worker_name": label,
        "supervisor_name": _("Supervisor") if context["supervisor_name"] else "",
        "assessor_name": _("Assessor") if context["assessor_name"] else "",
        "final_assessor_name": _("Assessor") if final else "",
        "final": Scrubbed(final, scrub, FREE_TEXT["final"]) if final else None,
        **{
            part: [Scrubbed(record, scrub, FREE_TEXT[part]) for record in context[part]]
            for part in ("evidence", "reviews", "concerns", "standard_summaries", "decisions")
        },
    }


def render_portfolio_html(
    enrolment: Enrolment, *, on: date | None = None, anonymised_as: str | None = None
) -> str:
    context = portfolio_context(
        enrolment, on=on or timezone.localdate(), anonymised_as=anonymised_as
    )
    return render_to_string("assessments/portfolio/portfolio.html", context)


def render_portfolio_pdf(
    enrolment: Enrolment, *, on: date | None = None, anonymised_as: str | None = None
) -> bytes:
    """The portfolio as a PDF; with `anonymised_as` ("Candidate C"), nobody in it is named."""
    html = render_portfolio_html(enrolment, on=on, anonymised_as=anonymised_as)
    fetcher = OfflineFetcher()
    styles = CSS(string=PRINT_STYLES.read_text(encoding="utf-8"), url_fetcher=fetcher)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(stylesheets=[styles])
