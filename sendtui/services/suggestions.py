"""Suggesting a chapter (or marker) for an untagged point from the scheme's keywords.

Each chapter carries lower-case keyword phrases ("local offer", "ehc plan"). A point's text
is folded (case-folded, punctuation made spaces, so "EHC plan's" reads "ehc plan s") and
searched once with a single compiled pattern of every phrase, built as a trie so the longest
phrase wins at each place ("ehc plan" over "ehc") and a text costs a few microseconds.
The chapter with the strongest evidence is suggested: each match scores its number of
words, so longer phrases and more matches both count. "0 General" is suggested only when
nothing else matches. Nothing is ever tagged here: the screens show the suggestion and the
coordinator accepts it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

FALLBACK = "0"  # "General": a last resort, never preferred over a real chapter
_PUNCTUATION = re.compile(r"[\W_]+")
# ASCII letters and digits lower-cased, everything else a space: bytes.translate does this
# for a whole text in C, the fast path for the (usual) all-ASCII note.
_ASCII_FOLD = bytes(
    (ord(chr(b).lower()) if chr(b).isalnum() else 32) if b < 128 else b for b in range(256)
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggested chapter: its code and title, the phrase that matched best (as written
    in the scheme), and the score (words matched, summed over every match)."""

    code: str
    title: str
    keyword: str
    score: int


class TextRow(Protocol):
    """What suggest_many needs of a row (ReviewRow and reads.PointRow both fit)."""

    @property
    def id(self) -> int: ...
    @property
    def text(self) -> str: ...


def fold(text: str) -> str:
    """Lower-case words separated by single spaces: how keywords are compared with texts."""
    return _PUNCTUATION.sub(" ", text.casefold()).strip()


def _padded(text: str) -> str:
    """`text` folded for searching, with a space at each end. Runs of spaces may remain
    (the pattern allows them between a phrase's words), which spares a split and join."""
    if text.isascii():
        return " " + text.encode().translate(_ASCII_FOLD).decode() + " "
    return " " + _PUNCTUATION.sub(" ", text.casefold()) + " "


def _trie_pattern(phrases: Iterable[str]) -> str:
    """One regex matching any of `phrases`, as a character trie: at each character the
    longer continuation is tried first, so the longest phrase matching at a place wins.
    A space in a phrase matches one or more spaces."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [
            (" +" if ch == " " else re.escape(ch)) + build(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy "?" tries the longer phrase first and falls back to the shorter one.
        return f"(?:{body})?" if ends else body

    return build(trie)


class Suggester:
    """Suggests one of a scheme's chapters (or one marker) for a text.

    Built from (code, title, keywords) triples in scheme order; keywords are the stored
    newline-separated phrases, or any iterable of phrases."""

    def __init__(self, entries: Iterable[tuple[str, str, str | Iterable[str]]]) -> None:
        self.entries: list[tuple[str, str]] = []
        # folded phrase → [(entry index, the phrase as written, its number of words)]
        self._phrases: dict[str, list[tuple[int, str, int]]] = {}
        for index, (code, title, keywords) in enumerate(entries):
            self.entries.append((code, title))
            words = keywords.splitlines() if isinstance(keywords, str) else keywords
            for keyword in dict.fromkeys(k.strip() for k in words):
                folded = fold(keyword)
                owners = self._phrases.setdefault(folded, []) if folded else []
                if folded and all(owner[0] != index for owner in owners):
                    owners.append((index, keyword, folded.count(" ") + 1))
        self._fallback = {i for i, (code, _) in enumerate(self.entries) if code == FALLBACK}
        # A text matching just one phrase of just one chapter gets this ready-made answer.
        self._single = {
            phrase: Suggestion(*self.entries[owners[0][0]], owners[0][1], owners[0][2])
            for phrase, owners in self._phrases.items()
            if len(owners) == 1
        }
        # A phrase starts after a space and ends before one (the text is padded): the
        # literal leading space lets the regex engine skip straight to word starts.
        self._pattern = (
            re.compile(" (" + _trie_pattern(self._phrases) + ")(?= )") if self._phrases else None
        )

    @classmethod
    def for_event(cls, conn: sqlite3.Connection, event_id: int) -> Suggester:
        """The chapters of the event's scheme, from the store."""
        rows = conn.execute(
            "SELECT c.code, c.title, c.keywords FROM chapter c "
            "JOIN event e ON e.scheme_id = c.scheme_id WHERE e.id = ? ORDER BY c.position",
            (event_id,),
        )
        return cls(rows.fetchall())

    @classmethod
    def for_markers(cls, conn: sqlite3.Connection) -> Suggester:
        """The markers of good practice, from the store."""
        return cls(conn.execute("SELECT code, title, keywords FROM marker ORDER BY position"))

    def suggest(self, text: str) -> Suggestion | None:
        """The best-supported chapter for `text`, or None when no keyword matches."""
        if self._pattern is None:
            return None
        matches = self._pattern.findall(_padded(text))
        if not matches:
            return None
        if len(matches) == 1 and (single := self._single.get(matches[0])) is not None:
            return single  # the common case: one phrase, of one chapter
        phrases = self._phrases
        scores: dict[int, int] = {}
        longest: dict[int, tuple[int, str]] = {}  # entry → (words, keyword) of its longest
        for match in matches:
            owners = phrases.get(match) or phrases[" ".join(match.split())]
            for index, keyword, words in owners:
                scores[index] = scores.get(index, 0) + words
                if words > longest.get(index, (0, ""))[0]:
                    longest[index] = (words, keyword)
        if len(scores) == 1:
            (chosen,) = scores
        else:
            candidates = [i for i in scores if i not in self._fallback] or list(scores)
            # Most evidence, then the longest single phrase, then scheme order.
            chosen = min(candidates, key=lambda i: (-scores[i], -longest[i][0], i))
        code, title = self.entries[chosen]
        return Suggestion(code, title, longest[chosen][1], scores[chosen])

    def suggest_many(self, rows: Iterable[TextRow]) -> dict[int, Suggestion]:
        """Suggestions for the untagged rows among `rows` (a row whose `chapters` is
        non-empty is skipped): point id → Suggestion, for rows that get one."""
        found: dict[int, Suggestion] = {}
        suggest = self.suggest
        for row in rows:
            if getattr(row, "chapters", ()):
                continue
            suggestion = suggest(row.text)
            if suggestion is not None:
                found[row.id] = suggestion
        return found
