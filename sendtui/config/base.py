"""The building blocks of config.toml's sections.

Sections are msgspec Structs: strict (an unknown key is an error, so a typo never silently
falls back to a default), immutable, and quick to import. msgspec was chosen over pydantic
because importing pydantic alone took longer than the whole start-up budget of the app.
Every field is documented by the string literal under it; `field_docs` reads those (README's
key list and a test that every field has one rely on it).
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from functools import cache

import msgspec


class Section(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """A table of config.toml."""


@cache
def field_docs(cls: type) -> dict[str, str]:
    """{field name: the docstring written under it} for a Struct class."""
    source = textwrap.dedent(inspect.getsource(cls))
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    statements = body.body
    for here, after in itertools.pairwise(statements):
        if (
            isinstance(here, ast.AnnAssign)
            and isinstance(here.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[here.target.id] = inspect.cleandoc(after.value.value)
    return docs
