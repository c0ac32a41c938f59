"""Make a large store for benchmarks: one event of N points, in groups and topics, tagged
and untagged, with kinds, headings and sub-points, written fast through the importer.

    python tests/bench/generate.py 100000 /tmp/bench-100k.db
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from sendtui.config import load_config
from sendtui.services.bootstrap import open_store
from sendtui.services.importer import import_notes

GROUPS = ["Green Group", "Red Group", "Blue Group", "Gold Group"]
TOPICS = [
    "Q. Parental support and engagement",
    "Exercise 1",
    "Exercise 2",
    "Local Offer",
    "EHC Plans",
    "Single Category",
    "Making the Code clearer",
]
HEADINGS = [
    "General Points",
    "Remuneration",
    "Schools and Colleges",
    "Practical Steps",
    "Key good practice issues",
    "SOLUTIONS",
    "",
]
WORDS = [
    "local",
    "offer",
    "ehc",
    "plan",
    "assessment",
    "tribunal",
    "school",
    "academy",
    "senco",
    "health",
    "social",
    "care",
    "forum",
    "parents",
    "carers",
    "transition",
    "funding",
    "accountability",
    "clarity",
    "code",
    "jargon",
    "review",
    "budget",
    "key",
    "worker",
    "outcomes",
    "co-production",
    "participation",
    "consultation",
    "family",
]
MARKS = ["", "", "", "? ", "+ ", "- ", "! ", "> "]


def notes_text(points: int, *, seed: int = 2013, title: str = "Benchmark event") -> str:
    """A notes file with `points` bullets (about one in ten a sub-point)."""
    rng = random.Random(seed)
    lines = [f"# {title}", "Date: 2013-07-08", "Scheme: indicative-2013-03", ""]
    per_topic = max(1, points // (len(GROUPS) * len(TOPICS)))
    made = 0
    while made < points:
        for group in GROUPS:
            lines.append(f"## {group}")
            for topic in TOPICS:
                lines.append(f"### {topic}")
                heading = None
                for n in range(per_topic):
                    if made >= points:
                        break
                    if n % 25 == 0:
                        heading = rng.choice(HEADINGS)
                        if heading:
                            lines.append(f"#### {heading}")
                    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 18)))
                    tags = ""
                    if rng.random() < 0.6:
                        tags += f" #{rng.randint(0, 7)}"
                    if rng.random() < 0.1:
                        tags += f" @M{rng.randint(1, 7)}"
                    indent = "  " if n and rng.random() < 0.1 else ""
                    lines.append(f"{indent}- {rng.choice(MARKS)}{text} {made}{tags}")
                    made += 1
            if made >= points:
                break
    return "\n".join(lines) + "\n"


def build(points: int, db: Path) -> float:
    """Create `db` holding one event of `points` points; returns the import time in seconds."""
    config = load_config(None, database=db)
    opened = open_store(config)
    try:
        with tempfile.TemporaryDirectory() as folder:
            notes = Path(folder) / "notes.md"
            notes.write_text(notes_text(points), encoding="utf-8")
            start = time.perf_counter()
            import_notes(
                opened.store,
                opened.reference,
                notes,
                kind_words=config.capture.kind_words.as_dict(),
            )
            return time.perf_counter() - start
    finally:
        opened.store.close()


def cached_path(points: int) -> Path:
    """Where the benchmarks keep a built store; keyed by schema revision, because a store
    cached before a migration would open the slow way (migrating) and skew every figure."""
    from sendtui.store.schema import HEAD

    return Path(tempfile.gettempdir()) / f"sendtui-bench-{points}-{HEAD}.db"


def cached_store(points: int) -> Path:
    """The cached store of `points` points, built on first use."""
    target = cached_path(points)
    if not target.exists():
        print(f"building {target} (once)…", flush=True)
        build(points, target)
    return target


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else cached_path(count)
    if target.exists():
        sys.exit(f"{target} exists; remove it first")
    seconds = build(count, target)
    print(f"{count:,} points imported into {target} in {seconds:.2f}s")
