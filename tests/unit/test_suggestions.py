"""Chapter suggestions from the scheme keywords: whole phrases, longest first, strongest
evidence, General only as a last resort; and their quality on the demo event."""

from __future__ import annotations

import string
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.services.suggestions import Suggester, fold
from sendtui.store import reads

SCHEME = [
    ("0", "General", "overall\nreforms"),
    ("4", "The Local Offer", "local offer\nwebsite\nshort breaks"),
    ("5", "Schools", "school\nschools\nsenco\npost-16"),
    ("6", "Plans", "ehc plan\nehc\nplan\nassessment\nkey worker"),
    ("7", "Disputes", "tribunal\nmediation\nco-production"),
]


@pytest.fixture
def suggester() -> Suggester:
    return Suggester(SCHEME)


@pytest.mark.parametrize(
    ("text", "code", "keyword"),
    [
        ("EHC plan's are late", "6", "ehc plan"),
        ("the EHC: plan", "6", "ehc plan"),  # punctuation between words is a space
        ("Waiting for the EHC", "6", "ehc"),
        ("LOCAL   OFFER!!", "4", "local offer"),
        ("Café — the local offer’s website", "4", "local offer"),  # not ASCII
        ("Post 16 options", "5", "post-16"),
        ("co production works", "7", "co-production"),
        ("Co-Production works", "7", "co-production"),
    ],
)
def test_phrases_match_whatever_the_case_and_punctuation(suggester, text, code, keyword) -> None:
    found = suggester.suggest(text)
    assert found is not None and (found.code, found.keyword) == (code, keyword)


@pytest.mark.parametrize(
    "text", ["schoolboys", "planning ahead", "the offer was local", "tribunals", "", "...!"]
)
def test_only_whole_words_and_phrases_match(suggester, text) -> None:
    assert suggester.suggest(text) is None


def test_the_longest_phrase_wins_at_a_place(suggester) -> None:
    found = suggester.suggest("an ehc plan")
    assert found is not None and found.keyword == "ehc plan" and found.score == 2


def test_the_strongest_evidence_wins(suggester) -> None:
    # One two-word phrase beats one one-word match; more matches beat fewer.
    assert suggester.suggest("tribunal about the local offer").code == "4"  # type: ignore[union-attr]
    found = suggester.suggest("tribunal and mediation about the school")
    assert found is not None and (found.code, found.score) == ("7", 2)


def test_ties_are_decided_by_scheme_order(suggester) -> None:
    for text in ("school and tribunal", "tribunal and school"):
        found = suggester.suggest(text)
        assert found is not None and found.code == "5"
    # The reported keyword is the longest of the chosen chapter's matches.
    assert suggester.suggest("plan then ehc plan").keyword == "ehc plan"  # type: ignore[union-attr]


def test_general_only_when_nothing_else_matches(suggester) -> None:
    overall = suggester.suggest("overall the reforms are good, overall")
    assert overall is not None and overall.code == "0" and overall.score == 3
    found = suggester.suggest("overall the reforms are good, overall; the website")
    assert found is not None and found.code == "4"


def test_keywords_may_be_any_iterable_and_none_is_fine() -> None:
    assert (
        Suggester([("1", "Intro", ["Plain English", "jargon"])]).suggest("no JARGON please").code
        == "1"
    )  # type: ignore[union-attr]
    assert Suggester([("0", "General", "")]).suggest("anything") is None
    assert Suggester([]).suggest("anything") is None


def test_phrases_with_regex_characters_are_literal() -> None:
    odd = Suggester([("1", "Odd", "c++ (cpp)\na.b")])
    assert odd.suggest("axb") is None
    assert odd.suggest("A.B is here").code == "1"  # type: ignore[union-attr]


@dataclass
class Row:
    id: int
    text: str
    chapters: tuple[str, ...] = ()


def test_suggest_many_covers_untagged_rows_only(suggester) -> None:
    rows = [Row(1, "the local offer"), Row(2, "the local offer", ("7",)), Row(3, "nothing")]
    found = suggester.suggest_many(rows)
    assert list(found) == [1] and found[1].code == "4"


def test_fold() -> None:
    assert fold("  EHC-Plan’s, (draft)  ") == "ehc plan s draft"


@given(
    st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " ", max_size=80)
)
def test_case_never_changes_a_suggestion(text: str) -> None:
    suggester = Suggester(SCHEME)
    assert (
        suggester.suggest(text)
        == suggester.suggest(text.upper())
        == suggester.suggest(text.lower())
    )


@given(st.lists(st.sampled_from(["ehc plan", "school", "tribunal", "local offer", "rain"])))
def test_a_suggestion_names_a_chapter_that_matched(words: list[str]) -> None:
    found = Suggester(SCHEME).suggest(", ".join(words))
    if set(words) <= {"rain"}:
        assert found is None
    else:
        assert found is not None and found.keyword in ", ".join(words)
        assert found.code in {"4", "5", "6", "7"}


# -- the demo event, with the shipped keyword lists ---------------------------------------


def test_demo_event_suggestions(store, demo_event: int) -> None:
    suggester = Suggester.for_event(store.reader, demo_event)
    points = reads.points(store.reader, demo_event)
    untagged = [p for p in points if not p.chapters]
    found = suggester.suggest_many(points)
    assert set(found) <= {p.id for p in untagged}
    share = len(found) / len(untagged)
    assert share >= 0.5, f"only {share:.0%} of untagged demo points get a suggestion"
    # Where the note-taker tagged a point, the suggestion mostly agrees with them.
    tagged = [(p, suggester.suggest(p.text)) for p in points if p.chapters]
    suggested = [(p, s) for p, s in tagged if s is not None]
    agree = sum(1 for p, s in suggested if s.code in p.chapters) / len(suggested)
    assert agree >= 0.65, f"suggestions agree with the note-takers' tags {agree:.0%}"
    by_text = {p.text: found.get(p.id) for p in untagged}
    spot = {
        "Role of therapists": "3",
        "How do we engage with Health?": "3",
        "Greater clarity on need for PCP": "2",
        "Not just about school provision": "5",
        "How is it all going to link together with confidence EHC, Local offer, budgets": "4",
    }
    for text, code in spot.items():
        assert by_text[text] is not None and by_text[text].code == code, text  # type: ignore[union-attr]


def test_marker_suggestions(store) -> None:
    markers = Suggester.for_markers(store.reader)
    found = markers.suggest("Remuneration issues need to be resolved")
    assert found is not None and found.code == "D4"
