"""The form for leaving: one box to tick, so nobody leaves by a slip of the finger."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from timebank.forms import ServiceForm


class LeaveForm(ServiceForm):
    understand = BooleanField(
        _l("I understand what leaving means, and that it cannot be undone"),
        validators=[DataRequired(_l("Tick the box to show you understand what leaving means"))],
    )
