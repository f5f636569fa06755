"""Taking names out of free text: whole words, any case, the longest name first."""

import pytest

from assessments.anonymise import name_parts, scrub, scrubber

WORKER = [(term, "Candidate C") for term in name_parts("Ana Lima")]
ALIASES = [
    *WORKER,
    ("ana.lima@council.example", "Candidate C"),
    ("SW123456", "Candidate C"),
    ("Bob Jones", "Supervisor"),
    ("Priya Shah", "Observer 1"),
]


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        pytest.param("Ana Lima visited.", "Candidate C visited.", id="full-name"),
        pytest.param("ana lima and ANA LIMA", "Candidate C and Candidate C", id="any-case"),
        pytest.param("Ana said; Lima wrote.", "Candidate C said; Candidate C wrote.", id="parts"),
        pytest.param("Ana's plan", "Candidate C's plan", id="possessive"),
        pytest.param("Anastasia and Limassol", "Anastasia and Limassol", id="whole-words-only"),
        pytest.param("Ana\nLima", "Candidate C", id="name-broken-over-lines"),
        pytest.param("Bob Jones supervised.", "Supervisor supervised.", id="supervisor"),
        pytest.param("Bob and Jones", "Bob and Jones", id="others-by-full-name-only"),
        pytest.param("Priya Shah observed Ana.", "Observer 1 observed Candidate C.", id="two"),
        pytest.param(
            "Write to ana.lima@council.example", "Write to Candidate C", id="email-not-split"
        ),
        pytest.param("Registered as sw123456.", "Registered as Candidate C.", id="swe-number"),
        pytest.param("", "", id="empty"),
    ],
)
def test_every_name_in_free_text_becomes_its_label(text, scrubbed):
    assert scrub(text, ALIASES) == scrubbed


def test_a_name_listed_twice_keeps_its_first_label():
    # The supervisor who also observed is "Supervisor", not "Observer 1".
    clean = scrubber([("Bob Jones", "Supervisor"), ("bob  jones", "Observer 1")])
    assert clean("Bob Jones observed.") == "Supervisor observed."


def test_characters_that_mean_something_in_a_pattern_are_taken_literally():
    clean = scrubber([("J. O'Neil (Jo)", "Assessor")])
    assert clean("Met J. O'Neil (Jo) today; JX O'Neil not.") == "Met Assessor today; JX O'Neil not."


def test_with_no_names_the_text_is_unchanged():
    assert scrubber([("", "Supervisor"), ("   ", "Assessor")])("Bob Jones") == "Bob Jones"


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Ana Lima", ("Ana Lima", "Ana", "Lima")),
        ("Mary  Ann Smith", ("Mary Ann Smith", "Mary", "Smith")),
        ("Cher", ("Cher",)),
        ("", ()),
    ],
)
def test_a_name_splits_into_itself_its_given_name_and_its_surname(full_name, parts):
    assert name_parts(full_name) == parts
