"""The ledger imports no other feature (its design note, and house rule 18): holders, banks and
categories are referred to by table name, and what a feature needs from the ledger it calls. Read from
the source, so an import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import timebank

PACKAGE = Path(timebank.__file__).parent
#: Every feature is a package below ``timebank``; the modules beside them (db, types, errors, dates,
#: clock …) are shared foundations any feature may use.
FEATURES = {path.parent.name for path in PACKAGE.glob("*/__init__.py")} - {"ledger"}


def imported_modules(source: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{source}: use absolute imports"
            found.add(node.module)
            # ``from timebank import members`` imports a feature too.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_ledger_imports_no_other_feature():
    assert {"members", "banks", "categories", "exchanges"} <= FEATURES  # the walk below sees the features
    offending = {
        f"{source.relative_to(PACKAGE.parent)}: {module}"
        for source in sorted((PACKAGE / "ledger").rglob("*.py"))
        for module in imported_modules(source)
        if module.split(".")[0] == "timebank" and len(module.split(".")) > 1 and module.split(".")[1] in FEATURES
    }
    assert not offending, sorted(offending)
