"""What every benchmark reports: a figure, its goal and a verdict, printed as one table.

A `Figure` is one measured number against one goal. `passed` is None for figures shown for
context only (an in-process time with no goal of its own): their verdict is "info".
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

# Measure sendtui as it runs once installed: pip compiles the package to bytecode, so an
# installed sendtui never compiles its sources at start-up. A checkout in an environment with
# PYTHONDONTWRITEBYTECODE set would otherwise pay for compiling every module in every process
# (about 80 ms a command here), which the one-file floor scripts do not.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


@dataclass(frozen=True)
class Figure:
    name: str
    goal: str
    measured: str
    passed: bool | None

    @property
    def verdict(self) -> str:
        return "info" if self.passed is None else ("PASS" if self.passed else "MISS")


def ratio_figure(name: str, ours: float, base: float, limit: float, base_name: str) -> Figure:
    """ours / base against `limit`, showing both times."""
    ratio = ours / base if base else float("inf")
    return Figure(
        name,
        f"≤ {limit:g} × {base_name}",
        f"{ratio:.2f} × ({fmt_s(ours)} vs {fmt_s(base)})",
        ratio <= limit,
    )


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p90(values: Sequence[float]) -> float:
    """The 90th percentile (nearest rank above), 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered) + 0.999999) - 1)]


def print_table(figures: Sequence[Figure], title: str = "") -> None:
    if title:
        print(f"\n{title}")
    widths = [
        max(len("figure"), *(len(f.name) for f in figures)),
        max(len("goal"), *(len(f.goal) for f in figures)),
        max(len("measured"), *(len(f.measured) for f in figures)),
    ]
    head = (
        f"| {'figure':<{widths[0]}} | {'goal':<{widths[1]}} | {'measured':<{widths[2]}} | verdict |"
    )
    print(head)
    print("|" + "|".join("-" * (w + 2) for w in [*widths, 7]) + "|")
    for f in figures:
        print(
            f"| {f.name:<{widths[0]}} | {f.goal:<{widths[1]}} | {f.measured:<{widths[2]}} "
            f"| {f.verdict:<7} |"
        )
    sys.stdout.flush()


def process_seconds(args: Sequence[str], *, cwd: Path | None = None, env_extra=None) -> float:
    """Wall-clock seconds of a whole process, from spawn to exit; it must succeed."""
    env = {**os.environ, **(env_extra or {})}
    start = time.perf_counter()
    done = subprocess.run(
        list(args), cwd=cwd or ROOT, capture_output=True, text=True, env=env, check=False
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return took


def sendtui(*args: str) -> list[str]:
    """The command line of a whole `sendtui` process (the installed entry point's module)."""
    return [PYTHON, "-m", "sendtui", *args]


def paired(
    runs: int, ours: Callable[[], float], base: Callable[[], float], *, warm_up: int = 1
) -> tuple[list[float], list[float]]:
    """`runs` timings of each, interleaved (ours, base, ours, base…) so both see the same
    load; the first `warm_up` pairs (cold file cache, .pyc files) are dropped."""
    mine: list[float] = []
    theirs: list[float] = []
    for n in range(runs + warm_up):
        a, b = ours(), base()
        if n >= warm_up:
            mine.append(a)
            theirs.append(b)
    return mine, theirs


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"
