"""UK postcodes: tidy what people type, and find the district (outward code) a postcode is in.

Only the shape is checked (the Royal Mail's list is not shipped): "hb3 2qt", "HB32QT" and " HB3  2QT "
all become "HB3 2QT", in district "HB3". A district alone ("HB3", "CF10") is what travel ranges and
searches use.
"""

from __future__ import annotations

import re

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


def normalise_postcode(raw: str) -> str | None:
    """The postcode in its standard form, or ``None`` if it is not shaped like a UK postcode."""
    match = _POSTCODE.match("".join(raw.split()).upper())
    return f"{match[1]} {match[2]}" if match else None


def district_of(postcode: str) -> str:
    return postcode.split(" ", 1)[0]


def normalise_district(raw: str) -> str | None:
    """A postcode district ("HB3"), or ``None``. A whole postcode is accepted and cut to its district."""
    compact = "".join(raw.split()).upper()
    if _DISTRICT.match(compact):
        return compact
    postcode = normalise_postcode(compact)
    return district_of(postcode) if postcode else None
