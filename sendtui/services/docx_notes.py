"""Reading notes typed in Word (.docx) with the same meaning as the Markdown notes format.

The document is turned into Markdown notes text, paragraph by paragraph, and parsed by
`sendtui.services.notes.parse_notes`, so every rule (groups, topics, "Chapter N", kind-word
headings, the capture syntax inside a point, sub-points) lives in one place. Each Markdown
line remembers the paragraph it came from, so a problem names the paragraph's number and its
first words instead of a line of text the user never saw.

Mapping (docs/notes-format.md, "Notes typed in Word"):
- Title style → `# title`; Heading 1 / 2 / 3 → `##` group / `###` topic / `####` heading;
- a bullet made any way → `- point`, nested two spaces a level: a list style ("List Bullet",
  "List Bullet 2", "List Number"…), Word's bullet button (numbering on the paragraph, its
  level `ilvl`), or a bullet character typed or pasted at the start (•, ◦, ▪, -, * …);
- any other paragraph is a `Key: value` detail line (Date:, Venue:, Facilitator: …) or text
  outside a bullet, which is a problem, as in Markdown.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sendtui.errors import NotesError
from sendtui.models.kinds import Kind
from sendtui.services.notes import NotesDocument, parse_notes
from sendtui.services.syntax import CaptureSyntax
from sendtui.text import printable

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024  # a zip bomb is refused before it is read
MAX_PROBLEMS = 20

# A bullet typed or pasted at the start of a paragraph, then a space or tab. The level a
# character stands for when nothing else says (Word's default: •, then ◦ or o, then ▪).
TYPED_BULLETS = {"•": 0, "·": 0, "-": 0, "*": 0, "–": 0, "‣": 0, "◦": 1, "○": 1, "▪": 2,
                 "■": 2, "□": 2, "▫": 2}  # fmt: skip
_LIST_STYLE = re.compile(r"^list (?:bullet|number|paragraph|continue)(?: (\d))?$")
_HEADING_STYLE = re.compile(r"^heading (\d)$")
TWIPS_PER_LEVEL = 720  # Word indents each list level by half an inch (720 twips)

# Markdown wording in the parser's messages, said the Word way.
_WORDING = {
    "a second '# ' event title: one event per file": (
        "a second paragraph in the Title style: one event per document"
    ),
    "the '# ' event title must come first": "the Title paragraph must come first",
    "no event: start the file with '# Event title' or use --event": (
        "no event: start the document with the event's title in the Title style, or use --event"
    ),
    "text outside a bullet: start a point with '- ', a heading with '#'": (
        "text outside a bullet: make a point a bullet, and a group, topic or heading "
        "Heading 1, 2 or 3"
    ),
    "an empty bullet: write the point after the dash": "an empty bullet: write the point in it",
}
_HEADING_NEEDS = re.compile(r"^a (#+) heading needs a title$")


class WordNotesError(NotesError):
    """Problems in a Word document, each named by paragraph number and first words."""

    def __init__(self, path: str, problems: list[tuple[int, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = [
            f"{path}: paragraph {n}: {text}" if n else f"{path}: {text}"
            for n, text in problems[:MAX_PROBLEMS]
        ]
        if len(problems) > MAX_PROBLEMS:
            lines.append(f"… and {len(problems) - MAX_PROBLEMS} more problems")
        noun = "problem" if len(problems) == 1 else "problems"
        message = f"{path} has {len(problems)} {noun}; nothing was imported.\n" + "\n".join(lines)
        Exception.__init__(self, message)
        self.message = message


@dataclass(frozen=True)
class WordLines:
    """The document as Markdown notes text, and where each line came from."""

    text: str
    paragraph: list[int]  # line number - 1 → paragraph number (1-based)
    words: dict[int, str]  # paragraph number → its first words, for messages
    problems: list[tuple[int, str]]


def looks_like_docx(path: Path) -> bool:
    """A .docx name, or a zip file (every .docx is one; notes and dumps are text)."""
    if path.suffix.lower() == ".docx":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _first_words(text: str, limit: int = 40) -> str:
    words = " ".join(text.split())
    if len(words) > limit:
        words = words[:limit].rsplit(" ", 1)[0] + "…"
    return f"“{printable(words)}”" if words else "(empty)"


def _style_chain(paragraph) -> list[str]:
    """The paragraph's style name and those it is based on, lower case."""
    names: list[str] = []
    style = paragraph.style
    while style is not None and len(names) < 10:
        names.append((style.name or "").lower())
        style = style.base_style
    return names


def _number_level(paragraph) -> int | None:
    """The list level of a paragraph numbered by Word's bullet button or a list style."""
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    if num_pr is not None:
        if num_pr.numId is not None and num_pr.numId.val == 0:
            return None  # numbering switched off on this paragraph
        return int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
    return None


def _indent_level(paragraph) -> int:
    """Levels of left indent, for a typed bullet (a first level may be indented or not:
    nesting only depends on a bullet being further in than the one above)."""
    ppr = paragraph._p.pPr
    ind = ppr.ind if ppr is not None else None
    left = getattr(ind, "left", None) if ind is not None else None
    if left is None:
        return 0
    return max(0, int(left.twips) // TWIPS_PER_LEVEL)


def _classify(paragraph, text: str) -> tuple[str, int, str]:
    """("title" | "heading" | "bullet" | "text", level, text without its typed bullet)."""
    chain = _style_chain(paragraph)
    for name in chain:
        if name == "title":
            return "title", 0, text
        if m := _HEADING_STYLE.match(name):
            return "heading", int(m.group(1)), text
    level = _number_level(paragraph)
    if level is not None:
        return "bullet", level, text
    for name in chain:
        if m := _LIST_STYLE.match(name):
            if name.startswith("list paragraph") or name.startswith("list continue"):
                break  # an indented paragraph, not a bullet, unless numbered (above)
            return "bullet", int(m.group(1) or 1) - 1, text
    stripped = text.lstrip(" \t")
    if stripped[:1] in TYPED_BULLETS and stripped[1:2] in (" ", "\t", ""):
        tabs = len(text) - len(text.lstrip("\t"))
        level = max(TYPED_BULLETS[stripped[0]], tabs, _indent_level(paragraph))
        return "bullet", level, stripped[1:].strip()
    return "text", 0, text


def _iter_blocks(document):
    """("paragraph", Paragraph) for each paragraph of the body, in order, and ("table", …)
    or ("control", …) for a table or a content control, whose text sendtui does not read."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield "paragraph", Paragraph(child, document._body)
        elif child.tag == qn("w:tbl"):
            yield "table", child
        elif child.tag == qn("w:sdt") and "".join(child.itertext()).strip():
            yield "control", child


def open_document(path: Path):
    """The python-docx Document at `path`, or a WordNotesError saying why not."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise WordNotesError(source, [(0, f"the file is {size // 2**20} MB, too big")])
        if not path.is_file():
            raise WordNotesError(source, [(0, "is not a regular file")])
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise WordNotesError(source, [(0, "unpacks to too much data for notes")])
    except FileNotFoundError:
        raise WordNotesError(source, [(0, "no such file")]) from None
    except zipfile.BadZipFile:
        raise WordNotesError(
            source, [(0, "is not a Word document (.docx); save it from Word as .docx")]
        ) from None
    except OSError as exc:
        raise WordNotesError(source, [(0, f"cannot be read ({exc.strerror})")]) from None
    import docx

    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise WordNotesError(
            source, [(0, f"is not a Word document sendtui can read ({type(exc).__name__})")]
        ) from None


def word_lines(document) -> WordLines:
    """The document as Markdown notes lines (see the module's description)."""
    lines: list[str] = []
    where: list[int] = []
    words: dict[int, str] = {}
    problems: list[tuple[int, str]] = []
    number = 0

    def emit(line: str) -> None:
        lines.append(line)
        where.append(number)

    for kind, block in _iter_blocks(document):
        if kind != "paragraph":
            what = "a table" if kind == "table" else "a content control (a box Word manages)"
            spot = "after this paragraph" if number else "before the first paragraph"
            problems.append(
                (number, f"{what} {spot}: sendtui reads paragraphs only, so put its points "
                 "in bullets (or delete it)")
            )  # fmt: skip
            continue
        number += 1
        # Line breaks (Shift+Enter) inside a paragraph are spaces in a point.
        text = block.text.replace("\r", " ").replace("\n", " ")
        words[number] = _first_words(text)
        role, level, content = _classify(block, text)
        content = " ".join(content.split())
        if role == "title":
            emit(f"# {content}")
        elif role == "heading":
            if level > 3:
                problems.append(
                    (number, "only Heading 1, 2 and 3 are read (group, topic, heading)")
                )
                continue
            emit(f"{'#' * (level + 1)} {content}".rstrip())
        elif role == "bullet":
            emit(f"{'  ' * level}- {content}".rstrip())
        elif content:
            emit("")  # plain text never continues a bullet: a paragraph is not a wrapped line
            emit(f" {content}")  # indented, so "#…" text is not read as a heading
        else:
            emit("")
    return WordLines("\n".join(lines) + "\n", where, words, problems)


def reword(message: str) -> str:
    if message in _WORDING:
        return _WORDING[message]
    if m := _HEADING_NEEDS.match(message):
        level = len(m.group(1))
        style = "the Title" if level == 1 else f"a Heading {level - 1}"
        return f"{style} paragraph has no text"
    return message


def parse_word_notes(
    path: Path,
    *,
    syntax_for: Callable[[str | None], CaptureSyntax],
    kind_words: Mapping[Kind, Sequence[str]],
    default_scheme: str | None = None,
) -> NotesDocument:
    """Parse the Word document at `path`; raises WordNotesError listing every problem."""
    source = str(path)
    converted = word_lines(open_document(path))
    problems = list(converted.problems)
    doc: NotesDocument | None = None
    try:
        doc = parse_notes(
            converted.text,
            syntax_for=syntax_for,
            kind_words=kind_words,
            path=source,
            default_scheme=default_scheme,
        )
    except NotesError as exc:
        for line, message in exc.problems:
            index = min(max(line - 1, 0), len(converted.paragraph) - 1)
            number = converted.paragraph[index] if converted.paragraph else 0
            problems.append((number, reword(message)))
    if problems or doc is None:
        named = [
            (n, f"{converted.words[n]}: {message}" if n in converted.words else message)
            for n, message in sorted(problems, key=lambda p: p[0])
        ]
        raise WordNotesError(source, named)
    # Lines are paragraph numbers from here on, for anything that reports a point's place.
    for point in doc.points:
        index = min(point.line - 1, len(converted.paragraph) - 1)
        point.line = converted.paragraph[index]
    return doc
