"""Retention (UK GDPR, Article 5(1)(e)): former workers are anonymised RETENTION_YEARS after
their last programme ended.

Two steps, on purpose: `report_retention` lists who is due and changes nothing but the privacy
record; `apply_retention` anonymises them, one person per transaction, so a failure part-way
keeps everyone done so far and a rerun carries on from there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction

from people.models import PrivacyEvent, User
from people.privacy import anonymise_person, record_privacy_event
from programmes.selectors import people_past_retention

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionCandidate:
    """Ids and dates only: a report that names nobody can be logged and kept."""

    person_id: int
    last_ended_on: date


def retention_candidates(*, on: date) -> list[RetentionCandidate]:
    people = people_past_retention(on=on, years=settings.RETENTION_YEARS)
    return [
        RetentionCandidate(person_id=pk, last_ended_on=ended_on)
        for pk, ended_on in people.values_list("pk", "last_ended_on")
    ]


def report_retention(*, on: date, actor: User | None, source: str) -> list[RetentionCandidate]:
    """The dry run: who would be anonymised on `on`, recorded and returned; nobody changes."""
    candidates = retention_candidates(on=on)
    with transaction.atomic():
        record_privacy_event(
            kind=PrivacyEvent.Kind.RETENTION_DRY_RUN,
            actor=actor,
            detail={
                "on": on.isoformat(),
                "retention_years": settings.RETENTION_YEARS,
                "source": source,
                "candidates": [
                    {"person_id": c.person_id, "last_ended_on": c.last_ended_on.isoformat()}
                    for c in candidates
                ],
            },
        )
    logger.info("Retention dry run for %s: %s due", on.isoformat(), len(candidates))
    return candidates


def apply_retention(*, on: date, actor: User | None, source: str) -> list[RetentionCandidate]:
    """Anonymise everyone due on `on`; returns those anonymised by this run."""
    years = settings.RETENTION_YEARS
    done = []
    for candidate in retention_candidates(on=on):
        with transaction.atomic():
            # Checked again under the row lock: someone may have been enrolled since the list.
            person = User.objects.select_for_update().get(pk=candidate.person_id)
            if not people_past_retention(on=on, years=years).filter(pk=person.pk).exists():
                continue
            anonymise_person(
                person=person,
                actor=actor,
                reason=f"Retention: last programme ended over {years} years before {on}",
                detail={
                    "on": on.isoformat(),
                    "retention_years": years,
                    "last_ended_on": candidate.last_ended_on.isoformat(),
                    "source": source,
                },
            )
        done.append(candidate)
    logger.info("Retention applied for %s: %s anonymised", on.isoformat(), len(done))
    return done
