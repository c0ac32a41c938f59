"""The shipped reference data in sendtui/data/ (chapter schemes, markers, glossary) is well formed.

Plain checks on the TOML files themselves: no app code is imported, so a broken file is
reported here even if the loader would also reject it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "sendtui" / "data"  # shipped in the package
SCHEMES = DATA / "schemes"

# Chapter titles, in order, as DOMAIN.md "Chapter schemes" gives them (indicative-2013-03 as
# seed 000's "Breakdown of Concerns" table spells them).
EXPECTED_TITLES = {
    "indicative-2013-03": [
        "General",
        "Introduction",
        "A Family Centred System",
        "Education, Health and Care: Integration, Joint Commissioning and Co-Operation",
        "The Local Offer",
        "Early Years, Schools, Colleges and Other Providers",
        "Assessments and Education, Health and Care Plans",
        "Resolving Disputes",
    ],
    "draft-2013-10": [
        "General",
        "Introduction",
        "Summary (principles)",
        "A family centred system",
        "Working together across education, health and care",
        "The Local Offer",
        "Early years, schools, colleges and other education and training providers",
        "Assessments and Education, Health and Care plans",
        "Children and young people in specific circumstances",
        "Resolving disputes",
        "Transitional arrangements",
    ],
    "cop-2015": [
        "General",
        "Principles",
        "Impartial information, advice and support",
        "Working together across education, health and care for joint outcomes",
        "The Local Offer",
        "Early years providers",
        "Schools",
        "Further education",
        "Preparing for adulthood from the earliest years",
        "Education, Health and Care needs assessments and plans",
        "Children and young people in specific circumstances",
        "Resolving disagreements",
    ],
}

EXPECTED_MARKERS = {
    "M1": ("minimum", "Parent carers' engagement is valued, planned, and resourced"),
    "M2": (
        "minimum",
        "Pan disability: all conditions, spectrums, additional needs and/or disabilities",
    ),
    "M3": ("minimum", "Parent carer leadership proactive, not just consultation responsive"),
    "M4": (
        "minimum",
        "Parent carer participation is evident throughout planning, delivery and monitoring stages",
    ),
    "M5": ("minimum", "Clarity for parents and providers about the function of parent forums"),
    "M6": ("minimum", "Clearly described roles for Parent Representatives"),
    "M7": (
        "minimum",
        "Two-way feedback mechanisms to main parent carer group and wider parent carer community",
    ),
    "D1": (
        "development",
        "Authentic co-ownership of work and partnerships, and co-presenting of user/provider "
        "experiences",
    ),
    "D2": ("development", "Forums well linked to other local groups and regional networks"),
    "D3": ("development", "Transparent written forum governance"),
    "D4": ("development", "'Reward, Recognition and Remuneration' policy to aid sustainability"),
    "D5": ("development", "Ongoing recruitment and training opportunities of new parent carers"),
}

# DOMAIN.md "Words": each must be a glossary term or an alias of one.
DOMAIN_WORDS = [
    "CoP",
    "EHC plan",
    "EHCP",
    "LA",
    "CCG",
    "PCF",
    "NNPCF",
    "PPS",
    "SENDIASS",
    "SENCO",
    "CYP",
    "PfA",
    "VCS",
    "SE7",
    "DfE",
]

# Further terms the glossary promises to explain (term or alias, case-insensitive).
OTHER_WORDS = [
    "SEND",
    "SEN",
    "Local Offer",
    "co-production",
    "personal budget",
    "key worker",
    "pathfinder",
    "tribunal",
    "mediation",
    "annual review",
    "academy",
    "Ofsted",
    "short breaks",
    "FIS",
    "Family Information Service",
    "PCP",
    "person-centred planning",
    "CAF",
    "Common Assessment Framework",
    "IEP",
    "Individual Education Plan",
    "School Action",
    "School Action Plus",
    "DLA",
    "PIP",
    "Carer's Allowance",
    "statement",
    "transition",
    "joint commissioning",
]

# Keyword phrases allowed in more than one chapter of the same scheme. Empty on purpose: a
# phrase in two chapters cannot tell them apart, so it only adds noise to suggestions.
ALLOWED_SHARED_KEYWORDS: dict[str, set[str]] = {}

MARKUP_CHARACTERS = set("*_`#[]<>|~")

SCHEME_FILES = sorted(SCHEMES.glob("*.toml"))


def _load(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _check_keywords(where: str, keywords: object) -> list[str]:
    assert isinstance(keywords, list), f"{where}: keywords must be a list"
    for keyword in keywords:
        assert isinstance(keyword, str), f"{where}: keyword {keyword!r} is not a string"
        assert keyword.strip(), f"{where}: empty keyword"
        assert keyword == keyword.strip(), f"{where}: keyword {keyword!r} has outer spaces"
        assert keyword == keyword.lower(), f"{where}: keyword {keyword!r} is not lower-case"
        assert "\n" not in keyword, f"{where}: keyword {keyword!r} has a line break"
    assert len(set(keywords)) == len(keywords), f"{where}: repeated keyword"
    return keywords


def test_the_three_shipped_schemes_are_present():
    stems = {path.stem for path in SCHEME_FILES}
    assert set(EXPECTED_TITLES) <= stems


@pytest.mark.parametrize("path", SCHEME_FILES, ids=lambda p: p.stem)
def test_scheme_file_is_well_formed(path: Path):
    scheme = _load(path)
    assert scheme["code"] == path.stem
    assert isinstance(scheme["title"], str) and scheme["title"].strip()
    assert isinstance(scheme["source"], str) and scheme["source"].strip()
    assert "\n" not in scheme["source"]

    chapters = scheme["chapters"]
    assert chapters, "a scheme needs chapters"
    codes = [chapter["code"] for chapter in chapters]
    for code in codes:
        assert isinstance(code, str) and code.isdigit() and code.isascii(), code
    assert len(set(codes)) == len(codes), f"repeated chapter codes: {codes}"
    assert codes[0] == "0"
    assert chapters[0]["title"] == "General"

    for chapter in chapters:
        where = f"{path.stem} chapter {chapter['code']}"
        assert isinstance(chapter["title"], str) and chapter["title"].strip(), where
        keywords = _check_keywords(where, chapter["keywords"])
        if chapter["code"] != "0":
            assert len(keywords) >= 5, f"{where}: only {len(keywords)} keywords"


@pytest.mark.parametrize("path", SCHEME_FILES, ids=lambda p: p.stem)
def test_no_keyword_is_shared_by_two_chapters_of_a_scheme(path: Path):
    scheme = _load(path)
    allowed = ALLOWED_SHARED_KEYWORDS.get(scheme["code"], set())
    seen: dict[str, str] = {}
    for chapter in scheme["chapters"]:
        for keyword in chapter["keywords"]:
            if keyword in seen and keyword not in allowed:
                pytest.fail(
                    f"{path.stem}: {keyword!r} is in chapter {seen[keyword]} "
                    f"and chapter {chapter['code']}"
                )
            seen.setdefault(keyword, chapter["code"])


@pytest.mark.parametrize("code", sorted(EXPECTED_TITLES))
def test_scheme_chapters_match_the_code_of_practice(code: str):
    scheme = _load(SCHEMES / f"{code}.toml")
    titles = [chapter["title"] for chapter in scheme["chapters"]]
    codes = [chapter["code"] for chapter in scheme["chapters"]]
    assert titles == EXPECTED_TITLES[code]
    assert codes == [str(number) for number in range(len(EXPECTED_TITLES[code]))]


def test_cop_2015_has_chapters_0_to_11():
    scheme = _load(SCHEMES / "cop-2015.toml")
    assert [chapter["code"] for chapter in scheme["chapters"]] == [str(n) for n in range(12)]


def test_draft_2013_10_has_chapters_0_to_10():
    scheme = _load(SCHEMES / "draft-2013-10.toml")
    assert [chapter["code"] for chapter in scheme["chapters"]] == [str(n) for n in range(11)]


def test_markers_are_the_nnpcf_markers_of_good_practice():
    markers = _load(DATA / "markers.toml")["markers"]
    codes = [marker["code"] for marker in markers]
    assert codes == list(EXPECTED_MARKERS)
    for marker in markers:
        level, title = EXPECTED_MARKERS[marker["code"]]
        assert marker["level"] in {"minimum", "development"}
        assert marker["level"] == level, marker["code"]
        assert marker["title"] == title, marker["code"]
        keywords = _check_keywords(f"marker {marker['code']}", marker["keywords"])
        assert 5 <= len(keywords) <= 15, f"marker {marker['code']}: {len(keywords)} keywords"


def test_glossary_terms_are_unique_and_explained():
    terms = _load(DATA / "glossary.toml")["terms"]
    assert terms
    owner: dict[str, str] = {}
    for entry in terms:
        term = entry["term"]
        assert isinstance(term, str) and term.strip() == term and term, repr(term)
        aliases = entry["aliases"]
        assert isinstance(aliases, list)
        meaning = entry["meaning"]
        assert isinstance(meaning, str) and meaning.strip(), f"{term}: no meaning"
        assert "\n" not in meaning, f"{term}: meaning spans lines"
        for text in [term, *aliases, meaning]:
            assert isinstance(text, str)
            bad = MARKUP_CHARACTERS & set(text)
            assert not bad, f"{term}: markup characters {sorted(bad)} in {text!r}"
        for name in [term, *aliases]:
            assert name.strip() == name and name, f"{term}: bad alias {name!r}"
            key = name.casefold()
            assert key not in owner, f"{name!r} is used by both {owner.get(key)!r} and {term!r}"
            owner[key] = term


@pytest.mark.parametrize("word", DOMAIN_WORDS + OTHER_WORDS)
def test_glossary_covers_the_word(word: str):
    terms = _load(DATA / "glossary.toml")["terms"]
    names = {name.casefold() for entry in terms for name in [entry["term"], *entry["aliases"]]}
    assert word.casefold() in names


def test_the_checkouts_data_folder_links_to_the_packaged_files() -> None:
    checkout = DATA.parents[1] / "data"
    for name in ("schemes", "demo", "markers.toml", "glossary.toml"):
        assert (checkout / name).resolve() == (DATA / name).resolve(), name


def test_the_pdf_font_is_bundled() -> None:
    from sendtui.paths import pdf_font_path

    for bold in (False, True):
        path = pdf_font_path(bold=bold)
        assert path.is_file() and path.read_bytes()[:4] == b"\x00\x01\x00\x00"
        assert "matplotlib" not in str(path)
