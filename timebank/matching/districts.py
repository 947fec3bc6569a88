"""How far apart two postcode districts are, for the travel part of a match.

Design note:

* Distances are between district **centroids** (``data/district_centroids.csv``: the mean position of
  each district's postcodes, derived from Ordnance Survey's Code-Point Open under the Open Government
  Licence; see ``data/LICENCE.md`` and docs/matching.md), as straight lines on the British National Grid,
  whose coordinates are metres: no trigonometry needed.
* A district the data does not know (Northern Ireland, a new district, the demo's fictional places)
  falls back to a documented approximation: same postcode area and a neighbouring number (HB3 and HB4)
  counts as about 5 km apart, same area otherwise as about 12 km; anything else is "too far to tell".
* The engine never measures a distance per member: it asks ``bands`` for the districts in each band
  around the thing's district and lets the database look each member's district up in those short
  lists (an index-friendly ``IN``), so the cost does not grow with the number of members.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "district_centroids.csv"
_SHAPE = re.compile(r"^([A-Z]{1,2})([0-9]{1,2})([A-Z]?)$")

#: Score by straight-line distance: up to each distance (km), the travel score; further scores 0.
BANDS_KM = ((3.0, 0.8), (6.0, 0.6), (10.0, 0.4), (15.0, 0.2))
#: The approximation for districts without a centroid (km).
NEIGHBOURING_KM = 5.0
SAME_AREA_KM = 12.0


@cache
def centroids() -> dict[str, tuple[int, int]]:
    """District → (easting, northing) in metres, read once per process."""
    with _DATA.open(newline="", encoding="ascii") as handle:
        return {row["district"]: (int(row["easting"]), int(row["northing"])) for row in csv.DictReader(handle)}


def _parts(district: str) -> tuple[str, int, str] | None:
    match = _SHAPE.match(district)
    return (match[1], int(match[2]), match[3]) if match else None


def distance_km(a: str, b: str) -> float | None:
    """The distance between two districts' centroids, or the approximation, or ``None``: too far to tell."""
    if a == b:
        return 0.0
    known = centroids()
    if a in known and b in known:
        (ax, ay), (bx, by) = known[a], known[b]
        return math.hypot(ax - bx, ay - by) / 1000
    pa, pb = _parts(a), _parts(b)
    if pa is None or pb is None or pa[0] != pb[0]:
        return None
    return NEIGHBOURING_KM if abs(pa[1] - pb[1]) <= 1 else SAME_AREA_KM


def score_for_km(km: float | None) -> float:
    if km is None:
        return 0.0
    if km == 0:
        return 1.0
    return next((score for furthest, score in BANDS_KM if km <= furthest), 0.0)


@dataclass(frozen=True)
class Band:
    score: float
    districts: frozenset[str]


@cache
def bands(district: str) -> tuple[Band, ...]:
    """The districts around ``district`` in each scoring band (its own district apart), nearest first:
    every known district within the last band's distance, and for the approximation every district of
    the same postcode area (numbers 0 to 99, with the letter suffix where the district has one)."""
    by_score: dict[float, set[str]] = {}
    known = centroids()
    if district in known:
        furthest = BANDS_KM[-1][0]
        for other in known:
            km = distance_km(district, other)
            if other != district and km is not None and km <= furthest:
                by_score.setdefault(score_for_km(km), set()).add(other)
    else:
        parts = _parts(district)
        if parts is not None:
            area, _number, _suffix = parts
            for number in range(100):
                for other in {f"{area}{number}", f"{area}{number}{parts[2]}"}:
                    km = distance_km(district, other)
                    if other != district and other not in known and km is not None:
                        by_score.setdefault(score_for_km(km), set()).add(other)
    return tuple(Band(score, frozenset(names)) for score, names in sorted(by_score.items(), reverse=True)
                 if score > 0)
