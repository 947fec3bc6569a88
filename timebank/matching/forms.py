"""The weights form: one whole number from 0 to 100 per component, the default beside each; and the button
that puts the defaults back. The range is checked here for the page and again by ``matching.service``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from timebank.brokerage.models import DEFAULT_WEIGHTS, MAX_WEIGHT, WEIGHT_NAMES
from timebank.forms import ServiceForm

#: What each component is called on the pages (the same words as the reasons).
LABELS = {
    "abilities": _l("Abilities asked for"),
    "languages": _l("Languages"),
    "availability": _l("Free at the time"),
    "travel": _l("Travel"),
    "recent_load": _l("Has not given much lately"),
    "reciprocity": _l("Has received more than given"),
    "last_asked": _l("Not asked lately"),
    "declined": _l("Declined this before (taken away)"),
}


def _weight(name: str) -> IntegerField:
    message = _l("Give a whole number from 0 to 100")
    return IntegerField(LABELS[name], validators=[InputRequired(message), NumberRange(0, MAX_WEIGHT, message)],
                        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_WEIGHT},
                        description=_l("Default: %(weight)d", weight=DEFAULT_WEIGHTS[name]))


class WeightsForm(ServiceForm):
    abilities = _weight("abilities")
    languages = _weight("languages")
    availability = _weight("availability")
    travel = _weight("travel")
    recent_load = _weight("recent_load")
    reciprocity = _weight("reciprocity")
    last_asked = _weight("last_asked")
    declined = _weight("declined")

    def weights(self) -> dict[str, int]:
        return {name: int(self[name].data) for name in WEIGHT_NAMES}


class ResetForm(ServiceForm):
    """Nothing to fill in: the button (and the CSRF token)."""
