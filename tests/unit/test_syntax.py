"""The capture syntax: kinds, tags, headings, escapes, refusals, and the round trip."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sendtui.errors import InputError
from sendtui.models.kinds import Kind
from sendtui.services.syntax import CaptureSyntax, HeadingChange, ParsedPoint

CHAPTERS = [str(n) for n in range(8)]
MARKERS = [f"M{n}" for n in range(1, 8)] + [f"D{n}" for n in range(1, 6)]


@pytest.fixture
def syntax() -> CaptureSyntax:
    return CaptureSyntax(None, CHAPTERS, MARKERS, scheme_name="indicative-2013-03")


def test_plain_point_keeps_its_text(syntax: CaptureSyntax) -> None:
    assert syntax.parse("Capacity remains an issue") == ParsedPoint("Capacity remains an issue")


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("? How do we engage with Health?", Kind.QUESTION),
        ("+ Easier to read", Kind.POSITIVE),
        ("- Too long", Kind.NEGATIVE),
        ("! Worried about cuts", Kind.CONCERN),
        ("> Co-produce it", Kind.SOLUTION),
    ],
)
def test_kind_marks(syntax: CaptureSyntax, line: str, kind: Kind) -> None:
    parsed = syntax.parse(line)
    assert isinstance(parsed, ParsedPoint)
    assert parsed.kind is kind
    assert parsed.text == line[2:]


def test_mark_without_space_is_text(syntax: CaptureSyntax) -> None:
    assert syntax.parse("?unclear") == ParsedPoint("?unclear")


def test_tags_are_removed_from_text_and_kept_as_tags(syntax: CaptureSyntax) -> None:
    parsed = syntax.parse("Capacity remains an issue for forums. #2 @M1")
    assert parsed == ParsedPoint(
        "Capacity remains an issue for forums.", chapters=("2",), markers=("M1",)
    )


def test_section_reference_and_general(syntax: CaptureSyntax) -> None:
    parsed = syntax.parse("Tribunal outcomes #7.3 #0 @d4")
    assert parsed == ParsedPoint(
        "Tribunal outcomes", chapters=("7", "0"), section_refs=("7.3",), markers=("D4",)
    )


def test_tags_may_stand_anywhere(syntax: CaptureSyntax) -> None:
    parsed = syntax.parse("#4 the local offer @M7 must be clear")
    assert parsed == ParsedPoint("the local offer must be clear", chapters=("4",), markers=("M7",))


def test_heading_line(syntax: CaptureSyntax) -> None:
    assert syntax.parse("## Remuneration") == HeadingChange("Remuneration")
    assert syntax.parse("##") == HeadingChange("")


def test_indent_makes_a_sub_point(syntax: CaptureSyntax) -> None:
    parsed = syntax.parse("  a sub-point")
    assert isinstance(parsed, ParsedPoint) and parsed.nested


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("Needs clarity #99", "no chapter 99"),
        ("Needs clarity #99", "#0–#7"),
        ("Forums @M9", "no marker M9"),
        ("Forums @M9", "@M1–@M7 and @D1–@D5"),
        ("", "empty"),
        ("   ", "empty"),
        ("#2 @M1", "not only tags"),
        ("? ", "A point needs some text"),
        ("+ ", "A point needs some text"),
        ("? #2", "not only tags"),
        ("see #2.", "#2"),
    ],
)
def test_refusals_name_what_exists(syntax: CaptureSyntax, line: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        syntax.parse(line)
    assert fragment in caught.value.message


def test_escapes_keep_tokens_literal(syntax: CaptureSyntax) -> None:
    assert syntax.parse(r"\#1 priority") == ParsedPoint("#1 priority")
    assert syntax.parse(r"\? is this a question") == ParsedPoint("? is this a question")
    assert syntax.parse(r"mail \@M3 please") == ParsedPoint("mail @M3 please")


def test_hashtags_and_emails_are_text(syntax: CaptureSyntax) -> None:
    assert syntax.parse("#SEND reforms a@b.com") == ParsedPoint("#SEND reforms a@b.com")


def test_markup_and_unicode_survive(syntax: CaptureSyntax) -> None:
    line = "[@click=app.quit]x[/] [bold]y — café ✓ 日本語 👩‍👧"
    assert syntax.parse(line) == ParsedPoint(line)


def test_long_point_is_kept_whole(syntax: CaptureSyntax) -> None:
    text = "word " * 2000
    parsed = syntax.parse(text)
    assert isinstance(parsed, ParsedPoint) and parsed.text == text.strip()


def test_absurdly_long_point_is_refused(syntax: CaptureSyntax) -> None:
    with pytest.raises(InputError, match="characters long"):
        syntax.parse("x" * 100_001)


def test_configurable_marks() -> None:
    syntax = CaptureSyntax(
        {
            Kind.QUESTION: "Q:",
            Kind.POSITIVE: "++",
            Kind.NEGATIVE: "--",
            Kind.CONCERN: "!!",
            Kind.SOLUTION: "=>",
        },
        CHAPTERS,
        MARKERS,
    )
    assert syntax.parse("Q: what next") == ParsedPoint("what next", Kind.QUESTION)
    assert syntax.parse("? what next") == ParsedPoint("? what next")


# -- the round trip ---------------------------------------------------------------------------

words = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
    ),
    min_size=1,
    max_size=40,
)
tricky = st.sampled_from(
    [
        "#1",
        "#7.3",
        "@M1",
        "?",
        "+",
        "-",
        "!",
        ">",
        "##",
        "###x",
        "\\",
        "\\#2",
        "\\\\@D4",
        "#SEND",
        "[bold]",
        "[@click=app.quit]",
        "#",
        "@",
    ]
)
token = st.one_of(words.filter(lambda w: not any(c.isspace() for c in w)), tricky)


@st.composite
def points(draw: st.DrawFn) -> ParsedPoint:
    tokens = draw(st.lists(token, min_size=1, max_size=8))
    spaces = draw(
        st.lists(
            st.sampled_from([" ", "  ", "\t", " \u00a0"]),
            min_size=len(tokens),
            max_size=len(tokens),
        )
    )
    text = "".join(t + s for t, s in zip(tokens, spaces, strict=True)).strip()
    assume(text)
    chapters = draw(st.lists(st.sampled_from(CHAPTERS), unique=True, max_size=3))
    refs = tuple(
        f"{c}.{n}"
        for c in chapters
        for n in draw(st.lists(st.integers(1, 12), unique=True, max_size=2))
    )
    markers = draw(st.lists(st.sampled_from(MARKERS), unique=True, max_size=3))
    kind = draw(st.sampled_from(list(Kind)))
    return ParsedPoint(text, kind, tuple(chapters), refs, tuple(markers))


@given(points())
def test_any_point_round_trips(point: ParsedPoint) -> None:
    syntax = CaptureSyntax(None, CHAPTERS, MARKERS)
    assert syntax.parse(syntax.format_point(point)) == point


@given(st.text(max_size=200))
def test_any_line_gives_a_point_or_a_clear_error(line: str) -> None:
    syntax = CaptureSyntax(None, CHAPTERS, MARKERS)
    try:
        parsed = syntax.parse(line)
    except InputError as exc:
        assert exc.message
    else:
        assert isinstance(parsed, ParsedPoint | HeadingChange)


def test_a_lone_mark_is_refused_but_an_escaped_one_is_text(syntax: CaptureSyntax) -> None:
    assert syntax.parse("\\?") == ParsedPoint("?")
    assert syntax.parse(syntax.format_point(ParsedPoint("+"))) == ParsedPoint("+")


@pytest.mark.parametrize(
    ("line", "depth"),
    [("top", 0), (" one space", 0), ("  sub", 1), ("   three", 1), ("    subsub", 2), ("\tx", 1)],
)
def test_two_spaces_per_indent_level(syntax: CaptureSyntax, line: str, depth: int) -> None:
    parsed = syntax.parse(line)
    assert isinstance(parsed, ParsedPoint)
    assert parsed.depth == depth and parsed.nested == (depth > 0)


def test_action_mark(syntax: CaptureSyntax) -> None:
    parsed = syntax.parse("* Send the minutes to the council #2")
    assert parsed == ParsedPoint("Send the minutes to the council", Kind.ACTION, ("2",))
    assert syntax.parse(syntax.format_point(parsed)) == parsed


@pytest.mark.parametrize("line", ["Chapter #٣ text", "Marker @M٣ text", "Fullwidth #３"])
def test_only_ascii_digits_make_tags(syntax: CaptureSyntax, line: str) -> None:
    parsed = syntax.parse(line)
    assert isinstance(parsed, ParsedPoint)
    assert parsed.chapters == () and parsed.markers == ()


@pytest.mark.parametrize("tag", ["#" + "7" * 5000, "@M" + "3" * 5000])
def test_huge_tag_numbers_are_one_short_message(syntax: CaptureSyntax, tag: str) -> None:
    with pytest.raises(InputError) as raised:
        syntax.parse(f"A point {tag}")
    assert len(raised.value.message) < 300


def test_leading_zeros_name_the_same_chapter(syntax: CaptureSyntax) -> None:
    parsed = syntax.parse("A point #007 @M03")
    assert isinstance(parsed, ParsedPoint)
    assert parsed.chapters == ("7",) and parsed.markers == ("M3",)


def _reference_parse(syntax: CaptureSyntax, line: str) -> ParsedPoint | HeadingChange:
    """The parser's token loop without the fast path for plain words (every token looked at
    in full), to check that the fast path changes no result."""
    from sendtui.services import syntax as module

    depth = module.indent_depth(line)
    body = line.strip()
    if not body:
        raise InputError("empty")
    if body.startswith("##") and not body.startswith("###"):
        return HeadingChange(body[2:].strip())
    parts = module._PARTS.split(body)
    kind, start = Kind.POINT, 0
    if len(parts) > 2 and parts[0] in syntax.kind_of_mark:
        kind, start = syntax.kind_of_mark[parts[0]], 2
    chapters: list[str] = []
    refs: list[str] = []
    markers: list[str] = []
    kept: list[str] = []
    for index in range(start, len(parts), 2):
        token = parts[index]
        core = token.lstrip("\\")
        if syntax._special(core, first=index == start == 0):
            if len(core) < len(token):
                token = token[1:]
            elif core.startswith("#") and module._CHAPTER_ATTEMPT.match(core):
                syntax._read_chapter(core, chapters, refs)
                continue
            elif core.startswith("@") and module._MARKER_ATTEMPT.match(core):
                syntax._read_marker(core, markers)
                continue
        if kept:
            kept.append(parts[index - 1])
        kept.append(token)
    text = "".join(kept).strip()
    if not text or (len(parts) == 1 and parts[0] in syntax.kind_of_mark):
        raise InputError("no text")
    return ParsedPoint(text, kind, tuple(chapters), tuple(refs), tuple(markers), depth)


@given(
    st.lists(
        st.sampled_from(
            ["#3", "#7.2", "#0", "#99", "@M3", "@Z9", "\\#3", "\\@M1", "?", "+", "!", "##",
             "###", "word", "é", "²", "a#b", "x@y.org", "\\", "#", "@", "  ", " ", "\t",
             "\\?", "\\+", "\\##", "\u00a0", "\u2003"]
        ),
        max_size=12,
    )
)  # fmt: skip
def test_the_fast_path_for_plain_words_changes_no_result(tokens: list[str]) -> None:
    syntax = CaptureSyntax(None, CHAPTERS, MARKERS, scheme_name="indicative-2013-03")
    line = " ".join(tokens)

    def outcome(parse):
        try:
            return parse(line)
        except InputError:
            return "refused"

    assert outcome(syntax.parse) == outcome(lambda text: _reference_parse(syntax, text))


@settings(max_examples=600)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_any_line_reads_as_the_word_by_word_reading(line: str) -> None:
    """The quick path for lines with no tag (most lines of an import) and the word loop agree
    with the plain reading on any text: marks, odd spaces, Unicode, escapes."""
    syntax = CaptureSyntax(None, CHAPTERS, MARKERS, scheme_name="indicative-2013-03")

    def outcome(parse):
        try:
            return parse(line)
        except InputError:
            return "refused"

    assert outcome(syntax.parse) == outcome(lambda text: _reference_parse(syntax, text))
