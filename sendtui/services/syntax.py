"""The capture syntax: one typed line → a point (text, kind, chapter and marker tags).

    ## Remuneration            sets the current heading ("##" alone clears it)
    ? How do we engage?        a kind mark and a space: ? question, + positive, - negative,
                               ! concern, > solution (configurable)
    Capacity is an issue #2 @M1    #N tags chapter N, #N.M keeps "N.M" as the section reference,
                               @M3 / @D4 tag markers of good practice
    \\#1 priority               a backslash keeps the token literal

Tags are whitespace-separated tokens. A token is *special* when it would be read as syntax: a
tag (`#` + digit, `@` + letter + digit) anywhere, or, as the first token, a kind mark or `##`.
`format_point` puts one backslash before every special token and `parse` takes one away, so
any text survives a round trip (property-tested).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sendtui.errors import InputError
from sendtui.models.kinds import Kind
from sendtui.text import ascii_number

DEFAULT_MARKS: dict[Kind, str] = {
    Kind.QUESTION: "?",
    Kind.POSITIVE: "+",
    Kind.NEGATIVE: "-",
    Kind.CONCERN: "!",
    Kind.SOLUTION: ">",
    Kind.ACTION: "*",
}

_CHAPTER_ATTEMPT = re.compile(r"#[0-9]")
# ASCII digits only: `#٣` is text, not chapter 3 (\d matches every script's digits).
_CHAPTER_TAG = re.compile(r"#([0-9]+)((?:\.[0-9]+)*)")
_MARKER_ATTEMPT = re.compile(r"@[A-Za-z][0-9]")
_MARKER_TAG = re.compile(r"@([A-Za-z])([0-9]+)")
_PARTS = re.compile(r"(\s+)")
MAX_POINT_LENGTH = 100_000


@dataclass(frozen=True)
class ParsedPoint:
    """A point as typed: its text without tags, its kind and its tags."""

    text: str
    kind: Kind = Kind.POINT
    chapters: tuple[str, ...] = ()
    section_refs: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    depth: int = 0  # two spaces (or a tab) a level: 1 a sub-point, 2 a sub-sub-point

    @property
    def nested(self) -> bool:
        """Typed with a leading indent: a sub-point of a point above."""
        return self.depth > 0


@dataclass(frozen=True)
class HeadingChange:
    """`## Heading` on its own line: the heading for the points that follow."""

    heading: str


class CaptureSyntax:
    """Parses and formats capture lines for one event's chapter codes and the marker codes."""

    def __init__(
        self,
        marks: Mapping[Kind, str] | None = None,
        chapter_codes: Iterable[str] = (),
        marker_codes: Iterable[str] = (),
        scheme_name: str = "",
    ) -> None:
        self.marks = dict(marks or DEFAULT_MARKS)
        self.kind_of_mark = {mark: kind for kind, mark in self.marks.items()}
        self.chapter_codes = list(chapter_codes)
        self.marker_codes = [code.upper() for code in marker_codes]
        self._chapters = set(self.chapter_codes)
        self._markers = set(self.marker_codes)
        self.scheme_name = scheme_name

    # -- reading ---------------------------------------------------------------------------

    def parse(self, line: str) -> ParsedPoint | HeadingChange:
        """Read one capture line. Raises InputError with a message for the note-taker."""
        if len(line) > MAX_POINT_LENGTH:
            raise InputError(
                f"That point is {len(line):,} characters long; the most is "
                f"{MAX_POINT_LENGTH:,}. Split it into several points."
            )
        depth = indent_depth(line)
        body = line.strip()
        if not body:
            raise InputError("Type a point first: the line is empty.")
        if body.startswith("##") and not body.startswith("###"):
            return HeadingChange(body[2:].strip())
        if "#" not in body and "@" not in body and "\\" not in body:
            # No tag and no escape: the text is the line, less a kind mark in front (most
            # lines of an import take this path; the word loop below reads the same).
            head = _PARTS.split(body, maxsplit=1)
            if len(head) == 3 and head[0] in self.kind_of_mark:
                return ParsedPoint(head[2], self.kind_of_mark[head[0]], (), (), (), depth)
            if len(head) == 3 or head[0] not in self.kind_of_mark:
                return ParsedPoint(body, Kind.POINT, (), (), (), depth)
        parts = _PARTS.split(body)  # tokens at even indexes, whitespace at odd ones
        kind = Kind.POINT
        start = 0
        if len(parts) > 2 and parts[0] in self.kind_of_mark:
            kind = self.kind_of_mark[parts[0]]
            start = 2
        chapters: list[str] = []
        refs: list[str] = []
        markers: list[str] = []
        kept: list[str] = []
        for index in range(start, len(parts), 2):
            token = parts[index]
            if index and "#" not in token and "@" not in token:
                # Past the first token only a tag is special: most words take this path.
                if kept:
                    kept.append(parts[index - 1])
                kept.append(token)
                continue
            core = token.lstrip("\\")
            escaped = len(core) < len(token)
            first = index == start == 0
            if self._special(core, first=first):
                if escaped:
                    token = token[1:]
                elif core.startswith("#") and _CHAPTER_ATTEMPT.match(core):
                    self._read_chapter(core, chapters, refs)
                    continue
                elif core.startswith("@") and _MARKER_ATTEMPT.match(core):
                    self._read_marker(core, markers)
                    continue
                # a bare mark or "##" can only be first when nothing follows: keep it as text
            if kept:
                kept.append(parts[index - 1])
            kept.append(token)
        text = "".join(kept).strip()
        if not text or (len(parts) == 1 and parts[0] in self.kind_of_mark):
            # "? " or "+ " alone is a mark with nothing after it, not a point reading "?"
            if chapters or markers:
                raise InputError("A point needs some text, not only tags.")
            raise InputError(f"A point needs some text: “{body}” alone is only a mark.")
        return ParsedPoint(
            text=text,
            kind=kind,
            chapters=tuple(chapters),
            section_refs=tuple(refs),
            markers=tuple(markers),
            depth=depth,
        )

    def _special(self, core: str, *, first: bool) -> bool:
        if _CHAPTER_ATTEMPT.match(core) or _MARKER_ATTEMPT.match(core):
            return True
        return first and (core in self.kind_of_mark or core.startswith("##"))

    def _read_chapter(self, token: str, chapters: list[str], refs: list[str]) -> None:
        match = _CHAPTER_TAG.fullmatch(token)
        if not match:
            tag = _CHAPTER_TAG.match(token)
            hint = tag.group(0) if tag else "#7"
            raise InputError(
                f"“{_short(token)}” looks like a chapter tag but is not one: write {hint} "
                f"with a space before any punctuation, or \\{_short(token)} to keep it as text."
            )
        # No int(): 5,000 digits would exceed Python's int-from-string limit.
        code = match.group(1).lstrip("0") or "0"
        if code not in self._chapters:
            raise InputError(
                f"There is no chapter {_short(code)}{self._scheme_hint()}: {self.codes_hint()}."
            )
        if code not in chapters:
            chapters.append(code)
        if match.group(2):
            ref = code + match.group(2)
            if ref not in refs:
                refs.append(ref)

    def _read_marker(self, token: str, markers: list[str]) -> None:
        match = _MARKER_TAG.fullmatch(token)
        if not match:
            raise InputError(
                f"“{_short(token)}” looks like a marker tag but is not one: write @M3 or @D4, "
                f"or \\{_short(token)} to keep it as text."
            )
        code = match.group(1).upper() + (match.group(2).lstrip("0") or "0")
        if code not in self._markers:
            raise InputError(
                f"There is no marker {_short(code)}: markers are {self.markers_hint()}."
            )
        if code not in markers:
            markers.append(code)

    def _scheme_hint(self) -> str:
        return f" in {self.scheme_name}" if self.scheme_name else " in this event's scheme"

    def codes_hint(self) -> str:
        if not self.chapter_codes:
            return "this event has no chapters"
        return "chapters are " + _ranges(self.chapter_codes, prefix="#")

    def markers_hint(self) -> str:
        by_letter: dict[str, list[str]] = {}
        for code in self.marker_codes:
            by_letter.setdefault(code[0], []).append(code[1:])
        return (
            " and ".join(
                _ranges(numbers, prefix="@" + letter) for letter, numbers in by_letter.items()
            )
            or "none"
        )

    # -- writing ---------------------------------------------------------------------------

    def format_point(self, point: ParsedPoint) -> str:
        """The capture line that `parse` reads back as `point` (used to edit a point)."""
        parts = _PARTS.split(point.text.strip())
        has_mark = point.kind is not Kind.POINT
        for index in range(0, len(parts), 2):
            core = parts[index].lstrip("\\")
            if self._special(core, first=index == 0 and not has_mark):
                parts[index] = "\\" + parts[index]
        pieces = ["".join(parts)]
        if has_mark:
            pieces.insert(0, self.marks[point.kind])
        for code in point.chapters:
            own = [ref for ref in point.section_refs if ref.split(".", 1)[0] == code]
            pieces.extend("#" + ref for ref in own) if own else pieces.append("#" + code)
        pieces.extend("@" + code for code in point.markers)
        return " ".join(pieces)


def indent_depth(line: str) -> int:
    """Sub-point depth from leading indentation: two spaces a level, a tab a level."""
    columns = 0
    for ch in line:
        if ch == " ":
            columns += 1
        elif ch == "\t":
            columns += 2
        else:
            break
    return columns // 2


def _short(token: str, limit: int = 24) -> str:
    return token if len(token) <= limit else token[: limit - 1] + "…"


def _ranges(codes: Iterable[str], prefix: str) -> str:
    """ "#0–#7" for consecutive numeric codes, else a comma list."""
    items = list(codes)
    numbers = [n for c in items if (n := ascii_number(c, 9)) is not None]
    if len(numbers) == len(items) and numbers == list(range(numbers[0], numbers[-1] + 1)):
        if len(numbers) == 1:
            return f"{prefix}{numbers[0]}"
        return f"{prefix}{numbers[0]}–{prefix}{numbers[-1]}"
    return ", ".join(prefix + c for c in items)
