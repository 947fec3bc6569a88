"""Every domain error has a name and a stable code of its own: what an API client branches on.

A code, once published, never changes; so each class states its code rather than deriving it from its
name (a rename would change it), and no two classes share one (a client could not tell them apart).
The served document lists them all (``tests/api/test_openapi.py``).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import timebank
from timebank.api.core import domain_error_classes
from timebank.errors import DomainError

KEBAB = re.compile(r"[a-z]+(-[a-z0-9]+)*")


def test_no_domain_error_is_raised_bare() -> None:
    """``DomainError(...)`` answers the catch-all ``domain-error``: raise a named subclass instead."""
    root = Path(timebank.__file__).parent
    bare = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if name == "DomainError":
                    bare.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    assert not bare, "bare DomainError(...) (give it a named class with a code): " + ", ".join(bare)


def test_every_domain_error_states_its_own_code_in_kebab_case() -> None:
    classes = domain_error_classes()
    assert len(classes) > 100
    for cls in classes:
        assert "code" in vars(cls), f"{cls.__module__}.{cls.__qualname__} needs a code of its own"
        assert KEBAB.fullmatch(cls.code), f"{cls.__module__}.{cls.__qualname__}: {cls.code!r} is not kebab-case"


def test_no_two_domain_errors_share_a_code() -> None:
    by_code: defaultdict[str, list[str]] = defaultdict(list)
    for cls in {*domain_error_classes(), DomainError}:
        by_code[cls.code].append(f"{cls.__module__}.{cls.__qualname__}")
    shared = {code: names for code, names in by_code.items() if len(names) > 1}
    assert not shared, shared
