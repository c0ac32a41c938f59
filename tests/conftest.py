"""Shared fixtures: a private config and store per test, the demo event, the app."""

from __future__ import annotations

import os
import uuid
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


# PostgreSQL for the tests: SENDTUI_TEST_PG names a server (any libpq form) where the tests
# may create and drop databases, e.g. postgresql://postgres@/postgres?host=/tmp/pgsock&port=5433
# (.ci/run starts one). Without it a PostgreSQL test is skipped, saying why; under CI=true
# a missing or unreachable server is a failure.
PG_ENV = "SENDTUI_TEST_PG"


def _pg_server() -> str:
    url = os.environ.get(PG_ENV, "")
    problem = None
    if not url:
        problem = f"no PostgreSQL server for the tests: set {PG_ENV} (.ci/run does)"
    else:
        try:
            import psycopg

            psycopg.connect(url, connect_timeout=5).close()
        except Exception as exc:
            problem = f"{PG_ENV} server cannot be reached: {str(exc).splitlines()[0]}"
    if problem is None:
        return url
    if os.environ.get("CI"):
        pytest.fail(problem)
    pytest.skip(problem)


def _new_pg_database(server: str, template: str | None = None) -> str:
    import psycopg

    name = f"sendtui_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{copy}')
    return name


def _drop_pg_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_location() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test (dropped after): its location."""
    from psycopg.conninfo import make_conninfo

    server = _pg_server()
    name = _new_pg_database(server)
    try:
        yield make_conninfo(server, dbname=name)
    finally:
        _drop_pg_database(server, name)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A database with sendtui's schema, migrated once per test run (per xdist worker):
    copying it is much faster than migrating a new database for every test."""
    from psycopg.conninfo import make_conninfo

    from sendtui.store.store import Store

    server = _pg_server()
    name = _new_pg_database(server)
    try:
        Store(make_conninfo(server, dbname=name)).close()
        yield name
    finally:
        _drop_pg_database(server, name)


@pytest.fixture
def pg_store_location(pg_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database that already has sendtui's schema (dropped after)."""
    from psycopg.conninfo import make_conninfo

    server = _pg_server()
    name = _new_pg_database(server, template=pg_template)
    try:
        yield make_conninfo(server, dbname=name)
    finally:
        _drop_pg_database(server, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The store's location on each backend in turn: a file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "sendtui.db"
    return request.getfixturevalue("pg_store_location")


@pytest.fixture
def config(request: pytest.FixtureRequest, tmp_path: Path) -> Config:
    """Defaults, with the database in the test's own folder (or, for tests that ask for
    `backend`, on each backend; SENDTUI_TEST_BACKEND=postgresql runs every store test on
    PostgreSQL)."""
    if "backend" in request.fixturenames:
        return load_config(None, database=request.getfixturevalue("backend"))
    if os.environ.get("SENDTUI_TEST_BACKEND") == "postgresql":
        return load_config(None, database=request.getfixturevalue("pg_store_location"))
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
def opened_any(backend, config: Config) -> Iterator:
    """`opened` on each backend in turn (SQLite, then PostgreSQL)."""
    from sendtui.services.bootstrap import open_store

    result = open_store(config)
    yield result
    result.store.close()


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
