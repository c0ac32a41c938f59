"""Points left in the outbox by a crash are saved when the app next opens the store, even if
the note-taker never goes back to the capture screen."""

from __future__ import annotations

import asyncio

from sendtui.config import Config
from sendtui.models.kinds import Kind
from sendtui.services.capture import Tags, pending_point
from sendtui.services.syntax import ParsedPoint
from sendtui.store import reads
from sendtui.store.outbox import Outbox, outbox_path
from tests.tui.helpers import app_for, settle


async def test_a_leftover_outbox_is_saved_when_the_app_opens(
    config: Config, store, event: dict[str, int]
) -> None:
    pending = pending_point(
        ParsedPoint("Typed just before the laptop died", Kind.CONCERN),
        Tags(store.reader, event["event"]),
        event_id=event["event"],
        group_id=event["group"],
        topic_id=event["topic"],
    )
    outbox = Outbox(outbox_path(store.path))
    outbox.append(pending["uuid"], pending)
    outbox.close()
    store.close()

    app = app_for(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        opened = app.context.store
        assert opened is not None
        for _ in range(100):
            texts = [p.text for p in reads.points(opened.reader, event["event"])]
            if texts:
                break
            await asyncio.sleep(0.05)
        assert texts == ["Typed just before the laptop died"]
    leftover = Outbox(outbox_path(store.path))
    assert len(leftover) == 0
    leftover.close()
