"""The minutes of one event as plain data, ready for any writer (Markdown, DOCX, HTML).

Laid out like seed 000: the event's details; the points by group → topic → heading in the
order they were made, sub-points under their parent; the breakdown by chapter; every question
raised, with its group; then, by chapter, the positives, negatives, concerns, questions and
solutions; and a glossary of the SEND terms the minutes use. Private points are left out
unless asked for. Only what minutes carry is read: no member or payment data, and not even
who took down each point or when.

The points come from records.load_points (a few flat queries on the stdlib reader).

    minutes = collect_minutes(store, event_id, forum_name="Anytown PCF")
    for group in minutes.groups: ...
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sendtui.errors import InputError
from sendtui.exporters import ORDERS
from sendtui.exporters import Steps as Steps  # the writers import it from here too
from sendtui.exporters.records import (
    ChapterRef,
    EventDetails,
    PointRecord,
    Readable,
    event_details,
    event_groups,
    event_topics,
    load_points,
    new_tuple,
    scheme_chapters,
)
from sendtui.models.kinds import Kind
from sendtui.paths import builtin_data_dir
from sendtui.services.attendance import (
    ActionRow,
    ApologyRow,
    AttendeeRow,
    Tally,
    read_actions,
    read_apologies,
    read_attendees,
    tally,
)
from sendtui.services.reference import GlossaryTerm, load_glossary
from sendtui.services.reports import Breakdown, chapter_breakdown
from sendtui.store.db import Db

UNTAGGED = "Untagged"
# Section titles, the same in every format.
GROUPS_TITLE = "Discussion groups"
NOTES_TITLE = "Feedback from discussion groups"
BREAKDOWN_TITLE = "Breakdown by chapter"
QUESTIONS_TITLE = "Questions raised"
GLOSSARY_TITLE = "Glossary"
ATTENDANCE_TITLE = "Attendance"
APOLOGIES_TITLE = "Apologies"
ACTIONS_TITLE = "Actions"
ACTION_HEADER = ("Action", "Who", "By when", "Done")
# The kinds the "by chapter" part lists after the groups' notes (issue 3); ordered by chapter,
# the minutes list plain points too, last, so nothing is dropped.
CHAPTER_KINDS: tuple[str, ...] = tuple(
    k.value for k in (Kind.POSITIVE, Kind.NEGATIVE, Kind.CONCERN, Kind.QUESTION, Kind.SOLUTION)
)
_KIND_PLURALS = {**{k.value: k.plural for k in Kind}, Kind.POINT.value: "Other points"}


class MinutesItem(NamedTuple):
    """A point in the groups' notes, with its sub-points (in the order made)."""

    point: PointRecord
    children: list[MinutesItem]


@dataclass(frozen=True)
class MinutesHeading:
    title: str  # "" for points written under no heading
    items: tuple[MinutesItem, ...]


@dataclass(frozen=True)
class MinutesTopic:
    title: str  # "" for points under no topic
    headings: tuple[MinutesHeading, ...]


@dataclass(frozen=True)
class MinutesGroup:
    name: str
    facilitator: str
    note_taker: str
    topics: tuple[MinutesTopic, ...]


@dataclass(frozen=True)
class KindList:
    kind: str
    label: str  # "Concerns"
    points: tuple[PointRecord, ...]


@dataclass(frozen=True)
class ChapterSection:
    """One chapter's points by kind (only kinds that have points); code "" for Untagged."""

    code: str
    title: str
    kinds: tuple[KindList, ...]

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    @property
    def count(self) -> int:
        return sum(len(k.points) for k in self.kinds)


@dataclass(frozen=True)
class MinutesData:
    by: str
    forum_name: str
    event: EventDetails
    groups: tuple[MinutesGroup, ...]  # every group; their notes are written when by="group"
    points: tuple[PointRecord, ...]  # every point in the minutes, in the order made
    breakdown: Breakdown
    questions: tuple[PointRecord, ...]
    chapters: tuple[ChapterSection, ...]
    glossary: tuple[GlossaryTerm, ...]
    attendees: tuple[AttendeeRow, ...] = ()
    apologies: tuple[ApologyRow, ...] = ()
    actions: tuple[ActionRow, ...] = ()

    @property
    def attendance(self) -> Tally:
        return tally(self.attendees)

    @property
    def present(self) -> list[str]:
        """The named attendees (people or organisations) with their role and level:
        "Ann Smith (Oak School): parent carer, co-production"; numbers alone are left to
        the attendance table."""
        return [f"{a.label}: {a.role}, {a.level}" for a in self.attendees
                if a.name or a.organisation]  # fmt: skip

    def action_lines(self) -> list[tuple[str, str, str, str]]:
        """(what, who, by when, done) for each action, the cells every format writes."""
        return [(a.what + (" (private)" if a.private else ""), a.who, a.due_text,
                 "done" if a.done else "") for a in self.actions]  # fmt: skip

    @property
    def chapters_title(self) -> str:
        if self.by == "chapter":
            return "Points by chapter"
        return "By chapter: positives, negatives, concerns, questions and solutions"

    @property
    def facilitated(self) -> bool:
        """Whether any group has a facilitator or note-taker to list."""
        return any(g.facilitator.strip() or g.note_taker.strip() for g in self.groups)

    def details(self) -> list[tuple[str, str]]:
        """(label, value) lines for the top of the minutes; empty values left out."""
        event = self.event
        when = f"{event.date.day} {event.date:%B %Y}" if event.date else ""
        lines = [
            ("Forum", self.forum_name), ("Date", when), ("Venue", event.venue),
            ("Subject", event.subject), ("Attendance", event.attendance),
            ("Chapter scheme", event.scheme),
        ]  # fmt: skip
        return [(label, value) for label, value in lines if value.strip()]

    @property
    def work(self) -> int:
        """How many point lines a writer writes: for progress."""
        tree = len(self.points) if self.by == "group" else 0
        return tree + len(self.questions) + sum(c.count for c in self.chapters)


def said_in(point: PointRecord, *, topic: bool = True) -> str:
    """Where a listed point was made: "Green Group, Local Offer" (never who made it)."""
    return f"{point.group}, {point.topic}" if topic and point.topic else point.group


def group_roles(group: MinutesGroup) -> str:
    """ "facilitator A. Person; note-taker B. Person", leaving out roles not recorded."""
    roles = [("facilitator", group.facilitator.strip()), ("note-taker", group.note_taker.strip())]
    return "; ".join(f"{role} {name}" for role, name in roles if name)


def walk(items: Sequence[MinutesItem]) -> Iterator[tuple[int, PointRecord]]:
    """(depth, point) for `items` and their sub-points, depth-first in order; depth 0 for
    top-level points. Iterative, so any depth of nesting is safe."""
    stack: list[tuple[int, MinutesItem]] = [(0, item) for item in reversed(items)]
    while stack:
        depth, item = stack.pop()
        yield depth, item.point
        stack.extend((depth + 1, child) for child in reversed(item.children))


# -- the minutes ------------------------------------------------------------------------------


def collect_minutes(
    store: Readable,
    event_id: int,
    *,
    include_private: bool = False,
    by: str = "group",
    forum_name: str = "",
    glossary: Sequence[GlossaryTerm] | None = None,
) -> MinutesData:
    """The minutes of `event_id`. `by="chapter"` collates every point by chapter (the
    groups' notes are then left out); `glossary` defaults to data/glossary.toml."""
    if by not in ORDERS:
        raise InputError(f"Minutes are collated by group or by chapter, not “{by}”.")
    conn = store.reader
    event = event_details(conn, event_id)
    points = load_points(conn, event_id, include_private=include_private, detail=False)
    groups = _groups(conn, event_id, points)
    kinds = CHAPTER_KINDS if by == "group" else (*CHAPTER_KINDS, Kind.POINT.value)
    chapters = _by_chapter(conn, event_id, points, kinds)
    breakdown = chapter_breakdown(conn, event_id, include_private=include_private)
    # Everything the minutes print, each name and title once.
    texts = [event.title, forum_name, event.venue, event.subject, event.attendance]
    texts += [row.label for row in breakdown.rows]
    texts += [p.text for p in points]
    for group in groups:
        texts.append(group.name)
        for topic in group.topics:
            texts.append(topic.title)
            texts += [h.title for h in topic.headings] if by == "group" else []
    terms = load_glossary(builtin_data_dir()) if glossary is None else glossary
    question, action = Kind.QUESTION.value, Kind.ACTION.value
    return MinutesData(
        by=by,
        forum_name=forum_name.strip(),
        event=event,
        groups=groups,
        points=tuple(points),
        breakdown=breakdown,
        questions=tuple(p for p in points if p.kind == question),
        chapters=chapters,
        glossary=terms_used(terms, texts),
        attendees=tuple(read_attendees(conn, event_id)),
        apologies=tuple(read_apologies(conn, event_id)),
        actions=tuple(
            read_actions(
                conn,
                event_id,
                include_private=include_private,
                action_points=[(p.id, p.text, p.private) for p in points if p.kind == action],
            )
        ),
    )


# Points made under no heading after a headed block are set apart under this title, so they
# never read as part of the heading above them.
NO_HEADING = "Other points (no heading)"


def _groups(conn: Db, event_id: int, points: list[PointRecord]) -> tuple[MinutesGroup, ...]:
    """Every group in the event's order (with no topics if none of its points is exported);
    within it, topics in order (points under no topic first), headings in the order first
    used, and each heading's points in the order made with their sub-points beneath."""
    items = {p.number: new_tuple(MinutesItem, (p, [])) for p in points}
    places: dict[tuple[int, int | None], dict[str, list[MinutesItem]]] = {}
    for point in points:
        place_key = (point.group_id, point.topic_id)
        parent = items.get(point.parent) if point.parent else None
        if parent and (parent.point.group_id, parent.point.topic_id) == place_key:
            parent.children.append(items[point.number])  # a sub-point stays in its place
            continue
        place = places.setdefault(place_key, {})
        place.setdefault(point.heading, []).append(items[point.number])
    topics: dict[int, list[tuple[int | None, str]]] = {}
    for tid, gid, title in event_topics(conn, event_id):
        topics.setdefault(gid, []).append((tid, title))
    result = []
    for gid, name, facilitator, note_taker in event_groups(conn, event_id):
        found = []
        for tid, title in [(None, ""), *topics.get(gid, [])]:
            headings = places.get((gid, tid))
            if headings:
                found.append(MinutesTopic(title, tuple(
                    MinutesHeading(h or (NO_HEADING if n else ""), tuple(its))
                    for n, (h, its) in enumerate(headings.items())
                )))  # fmt: skip
        result.append(MinutesGroup(name, facilitator, note_taker, tuple(found)))
    return tuple(result)


def _by_chapter(
    conn: Db, event_id: int, points: list[PointRecord], kinds: Sequence[str]
) -> tuple[ChapterSection, ...]:
    """Chapters in the scheme's order, then Untagged; only chapters and kinds with points.
    A point tagged to two chapters is listed under both, as the breakdown counts it."""
    wanted = set(kinds)
    untagged = ChapterRef("", UNTAGGED)
    found: dict[ChapterRef, dict[str, list[PointRecord]]] = {}
    for point in points:
        if point.kind in wanted:
            for chapter in point.chapters or (untagged,):
                found.setdefault(chapter, {}).setdefault(point.kind, []).append(point)
    sections = []
    for chapter in [*scheme_chapters(conn, event_id).values(), untagged]:
        if chapter in found:
            lists = [KindList(k, _KIND_PLURALS.get(k, k), tuple(found[chapter][k])) for k in kinds
                     if k in found[chapter]]  # fmt: skip
            sections.append(ChapterSection(chapter.code, chapter.title, tuple(lists)))
    return tuple(sections)


# -- the glossary -----------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _needle(phrase: str) -> tuple[re.Pattern[str], bool]:
    """A whole-word pattern for a term or alias, and whether to search the lower-cased text
    with it. Acronyms ("LA", "CoP", "LAs") match only as written, so "la" or "cop" in
    ordinary words do not count; a capitalised name ("Contact") needs its capital; anything
    else matches in any case (searched for, lower-cased, in the lower-cased text: a literal
    search is several times faster than a case-insensitive one). Spaces match any run of
    whitespace."""
    words = phrase.split()
    if len(words) == 1 and sum(c.isupper() for c in phrase) >= 2:
        body, lowered = re.escape(phrase), False
    elif len(words) == 1 and phrase[0].isupper():
        body, lowered = re.escape(phrase[0]) + "(?i:" + re.escape(phrase[1:]) + ")", False
    else:
        body, lowered = r"\s+".join(re.escape(w.lower()) for w in words), True
    return re.compile(rf"(?<!\w){body}(?!\w)"), lowered


def terms_used(glossary: Iterable[GlossaryTerm], texts: Iterable[str]) -> tuple[GlossaryTerm, ...]:
    """The glossary terms that appear (the term or an alias, as a whole word) in `texts`,
    sorted by term. One-word phrases are looked up in the texts' vocabulary; only phrases
    of several words, all of them in the vocabulary, are searched for in the text."""
    text = "\n".join(texts).replace("\u2019", "'")
    words: set[str] = set()
    for chunk in set(text.split()):  # splitting on spaces first is several times faster
        if chunk.isalnum():
            words.add(chunk)
        else:
            words.update(_WORD.findall(chunk))
    found = _Found(text, words)
    used = [t for t in glossary if any(found.has(phrase) for phrase in (t.term, *t.aliases))]
    return tuple(sorted(used, key=lambda t: t.term.casefold()))


class _Found:
    """Answers "is this phrase in the text?" from the text's words where it can."""

    def __init__(self, text: str, words: set[str]) -> None:
        self.text, self.words = text, words
        self.lower = {word.lower() for word in words}
        self._lowered: str | None = None

    def has(self, phrase: str) -> bool:
        parts = _WORD.findall(phrase)
        if not parts:
            return False
        if parts != [phrase]:  # several words (or "co-production"): search, if worth it
            if not all(p.lower() in self.lower for p in parts):
                return False
            pattern, lowered = _needle(phrase)
            return bool(pattern.search(self.lowered if lowered else self.text))
        if sum(c.isupper() for c in phrase) >= 2:  # the same rules as _needle
            return phrase in self.words
        if phrase[0].isupper():
            return any(w in self.words for w in (phrase, phrase.upper(), phrase.capitalize()))
        return phrase.lower() in self.lower

    @property
    def lowered(self) -> str:
        if self._lowered is None:
            self._lowered = self.text.lower()
        return self._lowered
