"""The minutes as Markdown (CommonMark with a GFM table): readable as plain text, and every
user string escaped just enough that it renders exactly as typed.

    text = render_markdown(collect_minutes(store, event_id))
"""

from __future__ import annotations

import re

from sendtui.exporters.minutes import (
    ACTION_HEADER,
    ACTIONS_TITLE,
    APOLOGIES_TITLE,
    ATTENDANCE_TITLE,
    BREAKDOWN_TITLE,
    GLOSSARY_TITLE,
    GROUPS_TITLE,
    NOTES_TITLE,
    QUESTIONS_TITLE,
    MinutesData,
    Steps,
    group_roles,
    said_in,
    walk,
)
from sendtui.exporters.records import PointRecord, kind_word
from sendtui.exporters.tables import markdown_table, to_markdown
from sendtui.models.kinds import Kind

# Characters that format wherever they are: emphasis, code, links, HTML, tables, strikeout.
_INLINE = re.compile(r"[\\`*_\[\]<>|~]")
_ENTITY = re.compile(r"&(?=#?\w+;)")  # "&amp;" would show as "&"
# What formats at the start of a line: headings, list items, setext underlines, numbered items.
_LINE_START = re.compile(r"^(?:[#+\-=]|(\d{1,9})([.)]))")
_NEWLINES = re.compile(r"\r\n?|\n")
_STARTERS = frozenset("#+-=0123456789")  # first characters _LINE_START may need to escape
_SEPARATOR = "\x1e"  # the ASCII record separator; a text holding one is escaped on its own
KINDS = tuple(k.value for k in Kind)
PRIVATE = "*(private)*"  # after a private point's text, in minutes that include them


def escape(text: str) -> str:
    """`text` with Markdown syntax backslash-escaped, so it renders literally; lines after
    the first become hard line breaks within the same paragraph or list item."""
    return escape_all([text])[0]


def escape_all(texts: list[str]) -> list[str]:
    """`escape` for many texts at once: one regex pass over them all, which at 100,000
    points is several times faster than a pass per text."""
    if not texts:
        return []
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:  # a text holds the separator itself
        return [_escape_one(t) for t in texts]
    done = _inline(joined).split(_SEPARATOR)
    for i, text in enumerate(done):
        if text[:1] in _STARTERS or "\n" in text or "\r" in text or text[:1].isspace():
            done[i] = _lines(text)
    return done


def _inline(text: str) -> str:
    text = _INLINE.sub(r"\\\g<0>", text)  # a class alone: the regex engine's fast path
    return _ENTITY.sub(r"\\&", text) if "&" in text else text


def _escape_one(text: str) -> str:
    return _lines(_inline(text))


def _lines(text: str) -> str:
    """Line-start escapes for text whose inline syntax is already escaped; each line is
    trimmed (leading spaces would make code blocks) and ends in a hard line break."""
    lines = _NEWLINES.split(text.strip())
    return "\\\n  ".join(_LINE_START.sub(_line_start, line.strip(), count=1) for line in lines)


def _line_start(match: re.Match[str]) -> str:
    if match.group(1):  # "1." → "1\\."
        return f"{match.group(1)}\\{match.group(2)}"
    return "\\" + match.group(0)


def heading(level: int, text: str) -> str:
    """An ATX heading. Every "#" in it is escaped: a closing run of them would otherwise be
    dropped from the title; nothing else formats at the start of a heading's text."""
    title = _inline(" ".join(text.split())).replace("#", r"\#")
    return f"{'#' * level} {title}"


def render_markdown(minutes: MinutesData, steps: Steps | None = None) -> str:
    """The whole minutes as one Markdown document."""
    return "\n".join(_Writer(minutes, steps or Steps(None, 0)).lines()) + "\n"


class _Writer:
    """Writes the sections in order. Point texts are escaped once, up front (the by-chapter
    lists repeat them), and each group's and topic's "said in" line once."""

    def __init__(self, minutes: MinutesData, steps: Steps) -> None:
        self.minutes, self.steps = minutes, steps
        points = minutes.points
        self.text = {
            p.number: f"{t} {PRIVATE}" if p.private else t
            for p, t in zip(points, escape_all([p.text for p in points]), strict=True)
        }
        self.places: dict[tuple[str, str], str] = {}
        self.out: list[str] = []

    def said_in(self, point: PointRecord, *, topic: bool = True) -> str:
        key = (point.group, point.topic if topic else "")
        if key not in self.places:
            self.places[key] = f" — *{escape(said_in(point, topic=topic))}*"
        return self.places[key]

    def lines(self) -> list[str]:
        minutes, out = self.minutes, self.out
        out += [heading(1, minutes.event.title), ""]
        out += [f"- {label}: {escape(value)}" for label, value in minutes.details()]
        if minutes.facilitated:
            out += ["", heading(2, GROUPS_TITLE), ""]
            for group in minutes.groups:
                roles = group_roles(group)
                out.append(f"- {escape(group.name)}" + (f": {escape(roles)}" if roles else ""))
        self.attendance()
        if minutes.by == "group":
            self.notes()
        self.breakdown()
        self.questions()
        if minutes.actions:
            out += ["", heading(2, ACTIONS_TITLE), ""]
            out.append(markdown_table([ACTION_HEADER, *minutes.action_lines()]).rstrip("\n"))
        self.by_chapter()
        if minutes.glossary:
            out += ["", heading(2, GLOSSARY_TITLE), ""]
            out += [f"- **{escape(t.term)}**: {escape(t.meaning)}" for t in minutes.glossary]
        return out

    def attendance(self) -> None:
        """Who came (by role × level of involvement, then the named attendees), and who
        sent apologies; each only if recorded."""
        minutes, out = self.minutes, self.out
        if minutes.attendees:
            out += ["", heading(2, ATTENDANCE_TITLE), ""]
            out.append(markdown_table(minutes.attendance.lines()).rstrip("\n"))
            if minutes.present:
                out.append("")
                out += [f"- {escape(line)}" for line in minutes.present]
        if minutes.apologies:
            out += ["", heading(2, APOLOGIES_TITLE), ""]
            out += [f"- {escape(a.label)}" for a in minutes.apologies]

    def notes(self) -> None:
        """The groups' flipchart notes: group → topic → heading → points and sub-points."""
        out, text, advance = self.out, self.text, self.steps.advance
        words = {kind: f"**{kind_word(kind)}:** " if kind_word(kind) else "" for kind in KINDS}
        out += ["", heading(2, NOTES_TITLE)]
        for group in self.minutes.groups:
            out += ["", heading(3, group.name)]
            if not group.topics:
                out += ["", "No points were recorded."]
            for topic in group.topics:
                if topic.title:
                    out += ["", heading(4, topic.title)]
                for block in topic.headings:
                    if block.title:
                        out += ["", heading(5, block.title)]
                    out.append("")
                    before = len(out)
                    for item in block.items:
                        # Most points have no sub-points: only those go through walk().
                        pairs = walk((item,)) if item.children else ((0, item.point),)
                        for depth, point in pairs:
                            word = words.get(point.kind)
                            if word is None:
                                word = words[point.kind] = f"**{escape(point.kind_word)}:** "
                            out.append(f"{'  ' * depth}- {word}{text[point.number]}")
                    advance(len(out) - before)

    def breakdown(self) -> None:
        """Seed 000's table: code, description, count, percentage, a Total row, then notes."""
        table = self.minutes.breakdown
        self.out += ["", heading(2, BREAKDOWN_TITLE), "", f"{escape(table.title)}:", ""]
        self.out.append(to_markdown(table).rstrip("\n"))

    def questions(self) -> None:
        out = self.out
        out += ["", heading(2, QUESTIONS_TITLE), ""]
        for point in self.minutes.questions:
            out.append(f"- {self.text[point.number]}{self.said_in(point, topic=False)}")
        self.steps.advance(len(self.minutes.questions))
        if not self.minutes.questions:
            out.append("No questions were raised.")

    def by_chapter(self) -> None:
        out, text = self.out, self.text
        out += ["", heading(2, self.minutes.chapters_title)]
        for chapter in self.minutes.chapters:
            out += ["", heading(3, chapter.label)]
            for kind in chapter.kinds:
                out += ["", heading(4, kind.label), ""]
                places, said = self.places, self.said_in
                out += [
                    f"- {text[p.number]}{places.get((p.group, p.topic)) or said(p)}"
                    for p in kind.points
                ]
                self.steps.advance(len(kind.points))
        if not self.minutes.chapters:
            out += ["", "No points to list."]
