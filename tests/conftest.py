"""Shared fixtures: a private config and store per test, the demo event, the app."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from sendtui.config import Config, load_config
from sendtui.paths import builtin_data_dir

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

DATA = builtin_data_dir()
DEMO_NOTES = DATA / "demo" / "nnpcf-2013-07-08.md"
MARKUP = "[@click=app.quit]x[/] [bold]y"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """Defaults, with the database in the test's own folder."""
    return load_config(None, database=tmp_path / "sendtui.db")


@pytest.fixture
def opened(config: Config) -> Iterator:
    from sendtui.services.bootstrap import open_store

    result = open_store(config)
    yield result
    result.store.close()


@pytest.fixture
def store(opened):
    return opened.store


@pytest.fixture
def demo_event(opened, config: Config) -> int:
    """The 8 July 2013 event imported from data/demo; returns its id."""
    from sendtui.services.importer import import_notes

    result = import_notes(
        opened.store, opened.reference, DEMO_NOTES, kind_words=config.capture.kind_words.as_dict()
    )
    return result.event_id


@pytest.fixture
def event(store) -> dict[str, int]:
    """An empty event on indicative-2013-03 with a Green Group and one topic."""
    from sendtui.services.events import EventService

    events = EventService(store)
    made = events.create_event("Test consultation", scheme_code="indicative-2013-03")
    group = events.add_group(made.id, "Green Group")
    topic = events.add_topic(group.id, "Q. Parental support and engagement")
    return {"event": made.id, "group": group.id, "topic": topic.id}
