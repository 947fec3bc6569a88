"""The rules, TB-01 … TB-15, in order (each in a module of its own)."""

from __future__ import annotations

from timebank.benefits.rulebook import Rule

RULES: tuple[Rule, ...] = ()
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
