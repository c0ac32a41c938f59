"""Domain logic over the store: capture syntax, points, import, references, money rules.

Headless: nothing here imports Textual, so the CLI, the tests and the app share it.
"""
