"""The schema revision this code expects; checked at start without importing Alembic."""

# Must equal the newest migration's `revision` (tests/unit/test_store.py checks it).
HEAD = "0005"

# SQLite's `PRAGMA application_id` of a sendtui store ("SEND" in ASCII), set when a file is
# created or migrated: a file without it (and with tables) is another program's, left alone.
APPLICATION_ID = 0x53454E44

# PostgreSQL has no application id: a `store_meta` row says the database is sendtui's.
APPLICATION = "sendtui"
