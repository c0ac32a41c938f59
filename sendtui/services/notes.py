"""Reading a notes file (docs/notes-format.md) into a document ready to import.

Parsing collects every problem with its line number; a file with any problem raises
NotesError and nothing is imported.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sendtui.errors import InputError, NotesError
from sendtui.models.kinds import Kind
from sendtui.services.syntax import CaptureSyntax, HeadingChange, ParsedPoint

PLENARY = "Plenary"
EVENT_KEYS = {"date", "venue", "scheme", "subject", "attendance"}
GROUP_KEYS = {
    "facilitator": "facilitator",
    "note-taker": "note_taker",
    "notetaker": "note_taker",
    "note taker": "note_taker",
}
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y")

MAX_LINE_CHARS = 10_000  # a pasted paragraph fits; a minified file or binary junk does not
BULLETS = "-*•·"
_DETAIL_KEY = frozenset(string.ascii_letters + " -")

# The line patterns are matched with string methods, not regular expressions: a pattern such
# as `(.*?)\s*$` backtracks, and a line of 200,000 spaces took minutes.


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: split on \\n, \\r\\n and \\r only (str.splitlines
    also splits on \\x0b, \\x0c, \\x1c, \\x85 and \\u2028, so line numbers would differ)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def match_heading(stripped: str) -> tuple[int, str] | None:
    """(level, title) for "## Title" (one to six #, then a space or nothing), else None."""
    level = len(stripped) - len(stripped.lstrip("#"))
    rest = stripped[level:]
    if not 1 <= level <= 6 or (rest and not rest[0].isspace()):
        return None
    return level, rest.strip()


def match_bullet(line: str) -> tuple[str, str] | None:
    """(indent, text) for "  - text" (a dash, star or bullet, then a space), else None."""
    body = line.lstrip(" \t")
    if not body or body[0] not in BULLETS:
        return None
    rest = body[1:]
    if rest and rest[0] not in " \t":
        return None
    return line[: len(line) - len(body)], rest.strip()


def match_detail(stripped: str) -> tuple[str, str] | None:
    """(key, value) for "Key: value" where the key is ASCII letters, spaces and hyphens."""
    key, colon, value = stripped.partition(":")
    key = key.rstrip()
    if not colon or not key or key[0] not in string.ascii_letters:
        return None
    if not all(ch in _DETAIL_KEY for ch in key):
        return None
    return key, value.strip()


def chapter_in_title(title: str) -> str | None:
    """ "7" for a title like "Chapter 7 Preparing for adulthood" (ASCII digits only)."""
    if title[:7].lower() != "chapter":
        return None
    rest = title[7:]
    number = rest.lstrip()
    if len(number) == len(rest):
        return None
    digits = len(number) - len(number.lstrip(string.digits))
    after = number[digits : digits + 1]
    if not digits or (after and (after.isalnum() or after == "_")):
        return None
    return number[:digits].lstrip("0") or "0"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class NotesPoint:
    """One bullet, parsed, with where it sits."""

    line: int
    group: str
    topic: str | None
    heading: str
    point: ParsedPoint
    parent: int | None = None  # index of the parent bullet in NotesDocument.points


@dataclass
class NotesGroup:
    name: str
    facilitator: str = ""
    note_taker: str = ""


@dataclass
class NotesDocument:
    """A parsed notes file."""

    title: str | None = None
    date: dt.date | None = None
    venue: str = ""
    scheme: str | None = None
    subject: str = ""
    attendance: str = ""
    groups: dict[str, NotesGroup] = field(default_factory=dict)
    topics: list[tuple[str, str]] = field(default_factory=list)  # (group, topic) in order
    points: list[NotesPoint] = field(default_factory=list)


@dataclass
class _Bullet:
    line: int
    indent: int
    text: list[str]  # the bullet's line and its wrapped lines, joined with spaces at the end
    group: str
    topic: str | None
    heading: str
    parent: int | None


def _indent(spaces: str) -> int:
    return len(spaces.expandtabs(4))


def parse_notes(
    text: str,
    *,
    syntax_for: Callable[[str | None], CaptureSyntax],
    kind_words: Mapping[Kind, Sequence[str]],
    path: str = "notes",
    default_scheme: str | None = None,
) -> NotesDocument:
    """Parse `text`. `syntax_for(scheme_code)` gives the capture syntax for the event's scheme
    (raising InputError for an unknown scheme); `default_scheme` is used when the file names
    none (for example the scheme of the --event it is imported into)."""
    doc = NotesDocument()
    problems: list[tuple[int, str]] = []
    bullets: list[_Bullet] = []
    stack: list[int] = []  # indexes of open bullets, innermost last
    group: str | None = None
    topic: str | None = None
    heading = ""
    details_for: str | None = None  # "event" or "group" while Key: value lines may follow
    last_was_bullet = False
    scheme_line = 0

    def ensure_group(name: str) -> str:
        doc.groups.setdefault(name, NotesGroup(name))
        return name

    if not text.strip():
        problems.append((1, "the file is empty: start it with '# Event title'"))
    for number, raw in enumerate(split_lines(text), start=1):
        if len(raw) > MAX_LINE_CHARS:
            problems.append(
                (
                    number,
                    f"the line is {len(raw):,} characters long; a line can be at most "
                    f"{MAX_LINE_CHARS:,} (is this a notes file?)",
                )
            )
            last_was_bullet = False
            continue
        line = raw.rstrip()
        if "\x00" in line:
            problems.append((number, "contains a NUL character; is this a text file?"))
            continue
        if not line.strip():
            last_was_bullet = False
            continue
        if bullet_match := match_bullet(line):
            details_for = None
            spaces, content = bullet_match
            if not content:
                problems.append((number, "an empty bullet: write the point after the dash"))
                last_was_bullet = False
                continue
            indent = _indent(spaces)
            while stack and bullets[stack[-1]].indent >= indent:
                stack.pop()
            if stack and indent < bullets[stack[-1]].indent + 2:
                stack.pop()  # one space more is not enough to nest: a sibling
            parent = stack[-1] if stack else None
            g = group or ensure_group(PLENARY)
            bullets.append(_Bullet(number, indent, [content], g, topic, heading, parent))
            stack.append(len(bullets) - 1)
            last_was_bullet = True
            continue
        stripped = line.strip()
        if (found := match_heading(stripped)) and not raw.startswith((" ", "\t")):
            level, title = found
            last_was_bullet = False
            stack.clear()
            if not title:
                problems.append((number, f"a {'#' * level} heading needs a title"))
                continue
            if level == 1:
                if doc.title is not None:
                    problems.append((number, "a second '# ' event title: one event per file"))
                elif bullets or doc.groups:
                    problems.append((number, "the '# ' event title must come first"))
                else:
                    doc.title, details_for = title, "event"
            elif level == 2:
                group, topic, heading, details_for = ensure_group(title), None, "", "group"
            elif level == 3:
                group = group or ensure_group(PLENARY)
                topic, heading, details_for = title, "", None
                if (group, title) not in doc.topics:
                    doc.topics.append((group, title))
            elif level == 4:
                group = group or ensure_group(PLENARY)
                heading, details_for = title, None
            else:
                problems.append((number, "only #, ##, ### and #### headings are used"))
            continue
        if details_for and (detail := match_detail(stripped)):
            written, value = detail
            key = " ".join(written.lower().split())
            if details_for == "event":
                if key not in EVENT_KEYS:
                    known = ", ".join(k.capitalize() for k in sorted(EVENT_KEYS))
                    problems.append((number, f"unknown event detail '{_short(written)}' ({known})"))
                elif key == "date":
                    try:
                        doc.date = _parse_date(value)
                    except ValueError:
                        problems.append(
                            (number, f"Date '{_short(value)}' is not a date: use YYYY-MM-DD")
                        )
                elif key == "scheme":
                    doc.scheme, scheme_line = value, number
                else:
                    setattr(doc, key, value)
                continue
            if key in GROUP_KEYS and group:
                setattr(doc.groups[group], GROUP_KEYS[key], value)
                continue
        if last_was_bullet and bullets:
            bullets[-1].text.append(stripped)  # a wrapped line of the bullet above
            continue
        problems.append(
            (number, "text outside a bullet: start a point with '- ', a heading with '#'")
        )

    if doc.title is None and default_scheme is None and text.strip():
        problems.insert(0, (1, "no event: start the file with '# Event title' or use --event"))
    try:
        syntax = syntax_for(doc.scheme or default_scheme)
    except InputError as exc:
        problems.append((scheme_line or 1, exc.message))
        raise NotesError(path, sorted(problems)) from None

    words = {kind: [w.lower() for w in ws] for kind, ws in kind_words.items()}
    # What a bullet's topic and heading say (chapters, a kind) depends on those two titles
    # alone: worked out once per pair, not once per bullet (100,000 bullets, a few pairs).
    contexts: dict[tuple[str | None, str], _Context | str] = {}
    for bullet in bullets:
        text_of_bullet = " ".join(bullet.text)
        if len(text_of_bullet) > MAX_LINE_CHARS:
            problems.append(
                (bullet.line, f"this point is longer than {MAX_LINE_CHARS:,} characters")
            )
            continue
        try:
            parsed = syntax.parse(text_of_bullet)
        except InputError as exc:
            problems.append((bullet.line, exc.message))
            continue
        except (ValueError, OverflowError) as exc:  # defensive: the capture syntax's own bug
            problems.append((bullet.line, f"this point cannot be read ({exc.__class__.__name__})"))
            continue
        if isinstance(parsed, HeadingChange):
            problems.append((bullet.line, "a '## ' heading cannot be a bullet"))
            continue
        place = (bullet.topic, bullet.heading)
        context = contexts.get(place)
        if context is None:
            try:
                context = contexts[place] = _context(bullet.topic, bullet.heading, syntax, words)
            except InputError as exc:
                context = contexts[place] = exc.message
        if isinstance(context, str):
            problems.append((bullet.line, context))
            continue
        parsed = context.apply(parsed)
        doc.points.append(
            NotesPoint(
                bullet.line, bullet.group, bullet.topic, bullet.heading, parsed, bullet.parent
            )
        )
    if problems:
        raise NotesError(path, sorted(problems))
    return doc


def _parse_date(value: str) -> dt.date:
    """A date in one of DATE_FORMATS, in ASCII digits (strptime also takes "２０１３")."""
    if not value.isascii() or len(value) > 40:
        raise ValueError(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


@dataclass(frozen=True)
class _Context:
    """What a bullet's topic and heading add to it: "Chapter N" titles tag it, and a
    kind-word heading ("Questions", "SOLUTIONS") sets the kind of a plain point."""

    chapters: tuple[str, ...]
    kind: Kind | None

    def apply(self, parsed: ParsedPoint) -> ParsedPoint:
        chapters = parsed.chapters
        extra = tuple(code for code in self.chapters if code not in chapters)
        kind = self.kind if self.kind is not None and parsed.kind is Kind.POINT else parsed.kind
        if not extra and kind is parsed.kind and not parsed.depth:
            return parsed  # nothing to add: the same point (frozen, so safe to share)
        return ParsedPoint(
            text=parsed.text,
            kind=kind,
            chapters=chapters + extra,
            section_refs=parsed.section_refs,
            markers=parsed.markers,
        )


def _context(
    topic: str | None, heading: str, syntax: CaptureSyntax, words: Mapping[Kind, list[str]]
) -> _Context:
    """The context of the titles above a bullet; InputError for a "Chapter N" title that
    names no chapter of the scheme."""
    chapters: list[str] = []
    for title in (topic or "", heading):
        if code := chapter_in_title(title):
            if code not in syntax.chapter_codes:
                raise InputError(
                    f"'{_short(title)}' names chapter {_short(code, 12)}, but {syntax.codes_hint()}"
                )
            if code not in chapters:
                chapters.append(code)
    kind = None
    for title in (heading, topic or ""):
        if found := kind_of_title(title, words):
            kind = found
            break
    return _Context(tuple(chapters), kind)


def kind_of_title(title: str, words: Mapping[Kind, list[str]]) -> Kind | None:
    """The kind a heading such as "Questions/queries" or "SOLUTIONS" sets, if any."""
    lower = title.lower()
    for kind, options in words.items():
        for word in options:
            if lower.startswith(word) and not lower[len(word) : len(word) + 1].isalpha():
                return kind
    return None
