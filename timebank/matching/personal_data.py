"""Matching's part of what is held about a person (``timebank.personal_data``): nothing of their own.
A bank's weights name only the broker who last set them (``exempt``); ranking stores nothing."""

from __future__ import annotations

from timebank.personal_data import Part

PART = Part(name="matching", exempt={
    "match_weights": "which broker last set the bank's weights: the agency's record of its own settings (each "
                     "change is in the audit log), not the broker's data; tied to the pseudonym if they leave",
})
