"""Every kind of audit event a feature records has its words (``timebank.audit.labels``), so the broker's
recent activity never shows a code; and no words are kept for a code nothing records."""

from __future__ import annotations

import re
from pathlib import Path

from timebank.audit.labels import ACTION_LABELS

ROOT = Path(__file__).resolve().parents[2] / "timebank"
#: How features name what they record: directly, or through a helper of their own (its prefix or suffix).
PATTERNS = (
    (re.compile(r'audit\.record\(\s*(?:db\.)?session,\s*"([a-z_]+\.[a-z_]+)"'), "{}"),
    (re.compile(r'_audit_recording\(session, actor, "([a-z_]+\.[a-z_]+)"'), "{}"),
    (re.compile(r'_audit\(session, "([a-z_]+\.[a-z_]+)"'), "{}"),  # listings
    (re.compile(r'_audit\(session, "([a-z_]+)", actor, (?:role\.)?activity'), "activities.{}"),
    (re.compile(r'_audit_on_behalf\(session, actor, [^)]*"([a-z_]+)"\)'), "exchanges.{}_on_behalf"),
)


def recorded_codes() -> set[str]:
    codes = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern, shape in PATTERNS:
            codes |= {shape.format(found) for found in pattern.findall(text)}
    return codes


def test_every_code_a_feature_records_has_its_words() -> None:
    codes = recorded_codes()
    assert len(codes) > 60  # the patterns still find what the features record
    assert sorted(codes - set(ACTION_LABELS)) == []


def test_no_words_are_kept_for_a_code_nothing_records() -> None:
    assert sorted(set(ACTION_LABELS) - recorded_codes()) == []
