"""Persistence: the SQLite file, its migrations and its fast readers.

Import `sendtui.store.store.Store` for writing (it pulls in SQLModel); `sendtui.store.reads`
needs only the standard library, so the first screen can draw before SQLModel is loaded.
"""
