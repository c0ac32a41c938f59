"""The capture screen's garbage-collector policy: full passes wait for a pause in the typing."""

from __future__ import annotations

import gc
import time

import pytest

from sendtui.config import Config
from sendtui.tui.screens.capture import CaptureScreen
from sendtui.tui.screens.capture_gc import FULL_AFTER, IDLE_S, NEVER, QuietCollector
from tests.tui.helpers import SIZE, app_for, settle


@pytest.fixture
def gc_state():
    """Whatever a test does, the interpreter's collector is as it was afterwards."""
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)
    gc.unfreeze()


def _young_passes(n: int) -> None:
    for _ in range(n):
        gc.collect(1)  # each counts as a pass over the younger generations


def test_full_passes_wait_for_a_pause(gc_state) -> None:
    collector = QuietCollector()
    before = gc.get_threshold()
    collector.start()
    assert gc.get_threshold() == (before[0], before[1], NEVER)
    assert gc.get_freeze_count() > 0
    _young_passes(FULL_AFTER)
    collector.touch()
    assert not collector.tick(time.monotonic())  # typing: not now
    assert not collector.tick(collector.last_key + IDLE_S / 2)
    assert collector.tick(collector.last_key + IDLE_S)  # a pause, and a pass is due
    assert collector.full_passes == 1
    assert not collector.tick(collector.last_key + IDLE_S * 3)  # nothing built up since
    collector.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_full_pass_collects_the_garbage_and_freezes_the_rest(gc_state) -> None:
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    collector = QuietCollector()
    collector.start()
    Cycle()  # garbage only a full pass can free once it has aged
    _young_passes(FULL_AFTER)
    frozen = gc.get_freeze_count()
    assert collector.tick(collector.last_key + IDLE_S)
    assert not any(type(o) is Cycle for o in gc.get_objects())
    assert gc.get_freeze_count() >= frozen
    collector.stop()


async def test_the_screen_holds_the_policy_while_open(config: Config, event, gc_state) -> None:
    before = gc.get_threshold()
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaptureScreen)
        assert screen.collector.active
        assert gc.get_threshold()[2] == NEVER
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CaptureScreen)
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0
