"""Timesheet imports' part of what is held about a person (``timebank.personal_data``): nothing of their
own. An import names a broker as who uploaded and applied it (``exempt``); the exchanges it recorded are
the exchanges feature's part."""

from __future__ import annotations

from timebank.personal_data import Part

PART = Part(name="imports", exempt={
    "timesheet_imports": "the broker who uploaded and applied a file, and the file itself, kept whole as the "
                         "record of what was applied (its rows may name members; a subject access request to "
                         "the time bank covers it); the exchanges it recorded are exported",
})
