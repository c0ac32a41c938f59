"""The schema revision this code expects; checked at start without importing Alembic."""

# Must equal the newest migration's `revision` (tests/unit/test_migrations.py checks it).
HEAD = "0002"
