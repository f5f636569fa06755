"""A moderation sample: choosing it, labelling it, checking it again, and packing it.

Nothing is stored: the confirmation page carries the sample back, so it is checked again
before any portfolio is rendered. Letters are handed out in a random order from the system's
random source, so the order of the list (by programme, cohort and name) gives nobody away.
"""

from __future__ import annotations

import io
import logging
import secrets
import string
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import portfolio
from assessments.selectors.samples import (
    MOST_IN_A_SAMPLE,
    can_prepare_moderation_sample,
    finished_portfolios,
)
from people.models import User
from programmes.models import Enrolment

logger = logging.getLogger(__name__)

LETTERS = string.ascii_uppercase[:MOST_IN_A_SAMPLE]
_random = secrets.SystemRandom()


def candidate_label(letter: str) -> str:
    return _("Candidate %(letter)s") % {"letter": letter}


@dataclass(frozen=True)
class Candidate:
    enrolment: Enrolment
    letter: str

    @property
    def label(self) -> str:
        return candidate_label(self.letter)


def choose_sample(*, listed: Sequence[int], ticked: Sequence[int], count: int | None) -> list[int]:
    """The ids to sample: those ticked, or `count` drawn at random from those ticked (or, with
    none ticked, from all listed)."""
    if count is None:
        if not ticked:
            message = _("Tick the portfolios to sample, or enter how many to draw at random.")
            raise ValidationError({"enrolments": message})
        if len(ticked) > MOST_IN_A_SAMPLE:
            message = _("Choose %(most)s portfolios or fewer.") % {"most": MOST_IN_A_SAMPLE}
            raise ValidationError({"enrolments": message})
        return list(ticked)
    pool = list(ticked or listed)
    if not pool:
        raise ValidationError({"count": _("There are no finished portfolios to draw from.")})
    if count > len(pool):
        message = ngettext(
            "There is only %(available)s finished portfolio to draw from: enter %(available)s.",
            "There are only %(available)s finished portfolios to draw from: "
            "enter %(available)s or fewer.",
            len(pool),
        ) % {"available": len(pool)}
        raise ValidationError({"count": message})
    return _random.sample(pool, count)


def label_candidates(enrolments: Sequence[Enrolment]) -> list[Candidate]:
    """Each enrolment under a letter, A, B, C…, given in a random order; listed by letter."""
    if not 1 <= len(enrolments) <= MOST_IN_A_SAMPLE:
        raise ValidationError(
            _("A sample holds from 1 to %(most)s portfolios.") % {"most": MOST_IN_A_SAMPLE}
        )
    shuffled = list(enrolments)
    _random.shuffle(shuffled)
    return [
        Candidate(enrolment, letter) for letter, enrolment in zip(LETTERS, shuffled, strict=False)
    ]


def confirmed_sample(
    user: User, *, enrolment_ids: Sequence[str], letters: Sequence[str]
) -> list[Candidate]:
    """The sample posted back from the confirmation page, trusted in nothing: each id must be
    a finished portfolio this lead may see, each letter one of the sample's, none twice."""
    if not can_prepare_moderation_sample(user):
        raise PermissionDenied
    refused = ValidationError(
        _("This sample cannot be made into a pack. Choose the portfolios again.")
    )
    if not 1 <= len(enrolment_ids) <= MOST_IN_A_SAMPLE or len(enrolment_ids) != len(letters):
        raise refused
    try:
        ids = [int(value) for value in enrolment_ids]
    except ValueError:
        raise refused from None
    if len(set(ids)) != len(ids) or len(set(letters)) != len(letters):
        raise refused
    if not set(letters) <= set(LETTERS):
        raise refused
    found = finished_portfolios(user).in_bulk(ids)
    if set(found) != set(ids):
        raise refused
    candidates = [Candidate(found[pk], letter) for pk, letter in zip(ids, letters, strict=True)]
    return sorted(candidates, key=lambda candidate: candidate.letter)


def moderation_sample_pack(candidates: Sequence[Candidate], *, on: date) -> bytes:
    """A zip of one anonymised portfolio PDF per candidate, named by label alone."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        for candidate in candidates:
            pdf = portfolio.render_portfolio_pdf(
                candidate.enrolment, on=on, anonymised_as=candidate.label
            )
            pack.writestr(f"{candidate.label}.pdf", pdf)
    logger.info(
        "Moderation sample pack of enrolments %s",
        ",".join(str(candidate.enrolment.pk) for candidate in candidates),
    )
    return buffer.getvalue()
