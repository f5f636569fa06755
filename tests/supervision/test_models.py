"""What a session record says about itself: whether it counts, and if not, why."""

import pytest

from supervision.models import SupervisionSession

DRAFT = SupervisionSession.Status.DRAFT
SIGNED = SupervisionSession.Status.SIGNED
COUNTERSIGNED = SupervisionSession.Status.COUNTERSIGNED
GROUP = SupervisionSession.Kind.GROUP
ONE_TO_ONE = SupervisionSession.Kind.ONE_TO_ONE


@pytest.mark.parametrize(
    ("status", "kind", "is_short", "counts_towards_cadence", "counts", "reason"),
    [
        pytest.param(COUNTERSIGNED, ONE_TO_ONE, False, True, True, "", id="signed-by-both"),
        pytest.param(SIGNED, ONE_TO_ONE, False, True, True, "", id="signed-by-the-supervisor"),
        pytest.param(
            DRAFT,
            ONE_TO_ONE,
            False,
            True,
            False,
            "Not yet: a draft counts once the supervisor signs it",
            id="a-draft-long-enough",
        ),
        pytest.param(
            COUNTERSIGNED,
            ONE_TO_ONE,
            True,
            False,
            False,
            "Shorter than the minimum; does not count",
            id="short",
        ),
        pytest.param(
            DRAFT,
            ONE_TO_ONE,
            True,
            False,
            False,
            "Shorter than the minimum; does not count",
            id="a-short-draft-will-not-count-once-signed-either",
        ),
        pytest.param(
            COUNTERSIGNED,
            GROUP,
            False,
            False,
            False,
            "No: group sessions do not count on this programme",
            id="full-length-group-not-allowed",
        ),
        pytest.param(COUNTERSIGNED, GROUP, False, True, True, "", id="group-allowed"),
    ],
)
def test_a_session_counts_once_signed_if_long_enough_and_says_why_not(
    status, kind, is_short, counts_towards_cadence, counts, reason
):
    session = SupervisionSession(
        status=status,
        kind=kind,
        minutes=45 if is_short else 90,
        is_short=is_short,
        counts_towards_cadence=counts_towards_cadence,
    )
    assert session.counts is counts
    assert session.not_counted_reason == reason
