"""The email settings form: one tick box for each plain choice (``mail.kinds.CHOICES``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import BooleanField

from timebank.forms import ServiceForm
from timebank.mail.kinds import CHOICES, Choice


class PreferencesForm(ServiceForm):
    @classmethod
    def initial(cls, wanted: dict[str, bool]) -> dict[str, Any]:
        return dict(wanted)

    def choices(self, shown: Sequence[Choice]) -> dict[str, bool]:
        """The choices the page showed (an unshown box is not a "no")."""
        return {choice.code: bool(self[choice.code].data) for choice in shown}


for _choice in CHOICES:
    setattr(PreferencesForm, _choice.code, BooleanField(_choice.label))

