"""Notes typed in Word: the same meaning as the Markdown notes format, bullets made any way
people make them, problems named by paragraph, all or nothing, no duplicates."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from sendtui.errors import NotesError, SendtuiError
from sendtui.services.docx_notes import WordNotesError
from sendtui.services.importer import file_kind, import_file
from sendtui.store import reads

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "word-notes.docx"

# The sample, paragraph by paragraph: (how it is made, text). "button N" is Word's bullet
# button at level N (List Paragraph with numbering), "typed" a bullet character in the text.
SAMPLE_PARAGRAPHS = [
    ("Title", "Autumn consultation event"),
    ("Normal", "Date: 2024-10-12"),
    ("Normal", "Venue: Town Hall"),
    ("Normal", "Scheme: indicative-2013-03"),
    ("Normal", ""),
    ("Heading 1", "Green Group"),
    ("Normal", "Facilitator: A. Person"),
    ("Normal", "Note-taker: B. Person"),
    ("Heading 2", "Chapter 3 Education"),
    ("Heading 3", "Questions/queries"),
    ("List Bullet", "How are schools held to account?"),
    ("List Bullet 2", "Who checks the SENCO's time? #7"),
    ("Heading 3", "Positives"),
    ("button 0", "The local offer is clearer @M1"),
    ("button 1", "parents were involved early"),
    ("button 0", "- waiting lists are long"),
    ("Heading 1", "Red Group"),
    ("Heading 2", "Transition"),
    ("typed", "•\tPlans should follow the young person"),
    ("typed", "◦ even across county lines"),
    ("typed", "▪ and into college"),
    ("typed", "- Key workers help #4"),
    ("typed", "* ? who pays for transport"),
]

SAMPLE_MARKDOWN = """# Autumn consultation event
Date: 2024-10-12
Venue: Town Hall
Scheme: indicative-2013-03

## Green Group
Facilitator: A. Person
Note-taker: B. Person
### Chapter 3 Education
#### Questions/queries
- How are schools held to account?
  - Who checks the SENCO's time? #7
#### Positives
- The local offer is clearer @M1
  - parents were involved early
- - waiting lists are long
## Red Group
### Transition
- Plans should follow the young person
  - even across county lines
    - and into college
- Key workers help #4
- ? who pays for transport
"""


def _bullet_numbering(document) -> int:
    """Add a real multi-level bullet list definition (what Word's bullet button makes) to the
    document's numbering part; returns its numId."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    multi = OxmlElement("w:multiLevelType")
    multi.set(qn("w:val"), "hybridMultilevel")
    abstract.append(multi)
    for level, char in enumerate("•o▪"):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, value in (("w:start", "1"), ("w:numFmt", "bullet"), ("w:lvlText", char)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            lvl.append(child)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(720 * (level + 1)))
        ind.set(qn("w:hanging"), "360")
        ppr.append(ind)
        lvl.append(ppr)
        abstract.append(lvl)
    numbering.insert(0, abstract)  # abstractNum elements come before num elements
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    return 90


def build(path: Path, paragraphs: list[tuple[str, str]], *, table: bool = False) -> Path:
    document = docx.Document()
    num_id = None
    for how, text in paragraphs:
        if how.startswith("button"):
            num_id = num_id or _bullet_numbering(document)
            paragraph = document.add_paragraph(text, style="List Paragraph")
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = int(how.split()[1])
            num_pr.get_or_add_numId().val = num_id
        elif how == "typed":
            document.add_paragraph(text)
        else:
            document.add_paragraph(text, style=how)
    if table:
        document.add_table(rows=1, cols=2).cell(0, 0).text = "a point in a table"
    document.save(str(path))
    return path


def run(opened, config, path: Path, **kw: object):
    return import_file(
        opened.store, opened.reference, path, kind_words=config.capture.kind_words.as_dict(), **kw
    )  # type: ignore[arg-type]


def points(store, event_id: int) -> list[tuple]:
    """What each point means: place, text, kind, tags and its parent's text."""
    conn = store.reader
    groups = {g.id: g.name for g in reads.groups(conn, event_id)}
    topics = {t.id: t.title for t in reads.topics(conn, event_id)}
    rows = reads.points(conn, event_id)
    text = {p.id: p.text for p in rows}
    return [
        (groups[p.group_id], topics.get(p.topic_id), p.heading, p.text, p.kind, p.chapters,
         p.markers, text.get(p.parent_id))
        for p in rows
    ]  # fmt: skip


def test_the_sample_means_what_the_same_markdown_means(opened, config, tmp_path: Path) -> None:
    from sendtui.services.bootstrap import open_store

    word = run(opened, config, build(tmp_path / "notes.docx", SAMPLE_PARAGRAPHS))
    assert word.created_event and word.new_points == 10
    markdown = tmp_path / "notes.md"
    markdown.write_text(SAMPLE_MARKDOWN, encoding="utf-8")
    other = open_store(config, tmp_path / "other.db")
    try:
        typed = run(other, config, markdown)
        assert points(opened.store, word.event_id) == points(other.store, typed.event_id)
    finally:
        other.store.close()
    meaning = points(opened.store, word.event_id)
    assert meaning[0] == (
        "Green Group", "Chapter 3 Education", "Questions/queries",
        "How are schools held to account?", "question", ("3",), (), None,
    )  # fmt: skip
    assert meaning[1][3:] == ("Who checks the SENCO's time?", "question", ("3", "7"), (),
                              "How are schools held to account?")  # fmt: skip
    assert meaning[3][3:] == ("parents were involved early", "positive", ("3",), (),
                              "The local offer is clearer")  # fmt: skip
    assert meaning[4][3:5] == ("waiting lists are long", "negative")
    assert [m[7] for m in meaning[5:8]] == [
        None, "Plans should follow the young person", "even across county lines"
    ]  # fmt: skip
    assert meaning[9][3:5] == ("who pays for transport", "question")
    groups = reads.groups(opened.store.reader, word.event_id)
    assert (groups[0].facilitator, groups[0].note_taker) == ("A. Person", "B. Person")
    (summary,) = reads.event_summaries(opened.store.reader)
    assert (summary.venue, summary.scheme_code) == ("Town Hall", "indicative-2013-03")


def test_the_committed_sample_imports_and_importing_twice_adds_nothing(opened, config) -> None:
    first = run(opened, config, SAMPLE)
    assert first.new_points == 10
    again = run(opened, config, SAMPLE)
    assert (again.event_id, again.new_points, again.existing_points) == (first.event_id, 0, 10)


def test_problems_name_the_paragraph_and_its_first_words(opened, config, tmp_path: Path) -> None:
    bad = [
        ("Title", "An event"),
        ("Heading 1", "Green Group"),
        ("List Bullet", "fine"),
        ("Normal", "Some words typed outside any bullet at all"),
        ("List Bullet", "a tag to no chapter #99"),
        ("Heading 4", "Too deep a heading"),
        ("List Bullet", ""),
    ]
    with pytest.raises(WordNotesError) as caught:
        run(opened, config, build(tmp_path / "bad.docx", bad))
    message = caught.value.message
    assert "nothing was imported" in message
    assert (
        "paragraph 4: “Some words typed outside any bullet at…”: text outside a bullet" in message
    )
    assert "paragraph 5: “a tag to no chapter #99”:" in message
    assert "paragraph 6: “Too deep a heading”: only Heading 1, 2 and 3" in message
    assert "paragraph 7: (empty): an empty bullet" in message
    assert [n for n, _ in caught.value.problems] == [4, 5, 6, 7]
    assert reads.event_summaries(opened.store.reader) == []


def test_no_title_and_a_table_are_problems(opened, config, tmp_path: Path) -> None:
    with pytest.raises(WordNotesError, match="paragraph 1: “- a point”: no event: start"):
        run(opened, config, build(tmp_path / "untitled.docx", [("typed", "- a point")]))
    with pytest.raises(WordNotesError, match="paragraph 2: “a point”: a table after this"):
        paragraphs = [("Title", "E"), ("List Bullet", "a point")]
        run(opened, config, build(tmp_path / "t.docx", paragraphs, table=True))
    assert reads.event_summaries(opened.store.reader) == []
    controlled = build(tmp_path / "c.docx", [("Title", "E"), ("List Bullet", "a point")])
    document = docx.Document(str(controlled))
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    content.append(document.add_paragraph("a point in a content control")._p)
    sdt.append(content)
    document.element.body.insert(0, sdt)
    document.save(str(controlled))
    with pytest.raises(WordNotesError, match=r"content control .* before the first paragraph"):
        run(opened, config, controlled)


def test_files_that_are_not_word_documents(opened, config, tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("# E\n- a\n", encoding="utf-8")  # text named .docx: read as notes
    assert file_kind(fake) == "notes" and run(opened, config, fake).new_points == 1
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a zip at all")
    with pytest.raises(WordNotesError, match="is not a Word document"):
        run(opened, config, broken)
    disguised = build(tmp_path / "notes.md", SAMPLE_PARAGRAPHS)  # Word saved as .md
    assert file_kind(disguised) == "docx" and run(opened, config, disguised).new_points == 10


def test_sendtui_import_reads_a_word_document(tmp_path: Path, capsys) -> None:
    from sendtui.cli import main

    args = ["--db", str(tmp_path / "s.db")]
    assert main([*args, "import", str(SAMPLE)]) == 0
    assert "10 new points created event" in capsys.readouterr().out
    bad = build(tmp_path / "bad.docx", [("Title", "E"), ("Normal", "loose text")])
    assert main([*args, "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "paragraph 2: “loose text”" in err and "Traceback" not in err


styles = st.sampled_from(
    ["Title", "Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Bullet",
     "List Bullet 2", "button 0", "button 1", "button 2", "typed"]
)  # fmt: skip
# Text Word can hold (XML 1.0 characters; python-docx refuses the others).
words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=30)
texts = st.one_of(
    st.sampled_from(["", "Date: 2024-01-01", "Scheme: nope", "Chapter 99", "Positives", "#3"]),
    words,
    st.builds(lambda c, t: f"{c} {t}", st.sampled_from("•◦▪-*"), words),
)


@settings(max_examples=25)
@given(paragraphs=st.lists(st.tuples(styles, texts), max_size=12))
def test_any_document_imports_or_says_why(tmp_path_factory, paragraphs) -> None:
    from sendtui.config import load_config
    from sendtui.services.bootstrap import open_store

    folder = tmp_path_factory.mktemp("word")
    path = build(folder / "n.docx", paragraphs)
    config = load_config(None, database=folder / "s.db")
    opened = open_store(config)
    try:
        try:
            run(opened, config, path)
        except NotesError as exc:
            assert exc.problems and "nothing was imported" in exc.message
            assert reads.event_summaries(opened.store.reader) == []
        except SendtuiError:
            assert reads.event_summaries(opened.store.reader) == []
    finally:
        opened.store.close()


if __name__ == "__main__":  # python -m tests.unit.test_docx_notes: rewrite the sample
    SAMPLE.parent.mkdir(exist_ok=True)
    build(SAMPLE, SAMPLE_PARAGRAPHS)
