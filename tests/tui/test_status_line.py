"""StatusLine works out its rows without wrapping a line that fits: the same answer as
wrapping it, for any text (wide characters, tabs, combining marks, control characters)."""

from __future__ import annotations

import random

from rich.text import Text
from textual.app import App, ComposeResult

from sendtui.tui.widgets.status_line import StatusLine

ALPHABET = "ab cd\tÉé漢字😀\u0301\u200b-–—·\x07" + "x" * 10


class _Lines(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusLine(max_rows=50, min_rows=1, id="line")


async def test_rows_match_wrapping_for_any_text() -> None:
    rng = random.Random(12)
    app = _Lines()
    async with app.run_test(size=(40, 60)) as pilot:
        line = app.query_one(StatusLine)
        await pilot.pause()
        width = line.content_region.width
        assert width > 0
        for _ in range(600):
            text = Text("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 3 * width))))
            if rng.random() < 0.2:
                text.stylize("bold", 0, rng.randint(0, len(text.plain) or 1))
            wrapped = len(text.wrap(app.console, width)) if text.plain else 0
            expected = min(max(wrapped, line.min_rows), line.max_rows)
            assert line._rows_for(text) == expected, repr(text.plain)
