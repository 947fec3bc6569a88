"""The parts of a match's score: each formula once, in the two forms the engine needs, and its reason in words.

Design note: every component gives a score from 0 to 1 (docs/matching.md has the table). The broker's
ranking computes them in SQL over every member of the bank (``engine.ranking_statement`` builds the four
"fit" parts from the expressions there and the other four from the ``*_sql`` functions below); a
resident's "things you could help with" computes the four fit parts in Python over a bounded list of
things (``fit_score`` and its helpers below). ``tests/matching/test_components.py`` checks the two forms
agree on the same facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from timebank.clock import uk_day
from timebank.i18n import format_minutes
from timebank.matching import districts
from timebank.profiles.models import Period

if TYPE_CHECKING:
    from timebank.matching.engine import Thing

#: Recent load counts hours given in this window (the last four weeks) …
RECENT_LOAD_WINDOW = dt.timedelta(days=27)
#: … and scores 0 at this many minutes or more (ten hours: two and a half a week).
RECENT_LOAD_FULL_MINUTES = 600
#: "Time since last asked" rises a quarter for each full week since the candidate's latest introduction.
LAST_ASKED_WEEKS = 4
#: Reciprocity of someone with no exchanges yet: neither a giver nor a receiver.
RECIPROCITY_NEW = 0.5

WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
            _l("Sunday"))
PERIODS = {Period.MORNING: _l("morning"), Period.AFTERNOON: _l("afternoon"), Period.EVENING: _l("evening")}


# --- SQL forms ---------------------------------------------------------------------------------------


def recent_load_sql(minutes: Any) -> Any:
    return sa.case((minutes >= RECENT_LOAD_FULL_MINUTES, 0.0), else_=1.0 - minutes * 1.0 / RECENT_LOAD_FULL_MINUTES)


def reciprocity_sql(given: Any, received: Any) -> Any:
    return sa.case((given + received == 0, RECIPROCITY_NEW), else_=received * 1.0 / (given + received))


def last_asked_sql(at: Any, now: dt.datetime) -> Any:
    weeks = [(at >= now - dt.timedelta(weeks=week + 1), week / LAST_ASKED_WEEKS) for week in range(LAST_ASKED_WEEKS)]
    return sa.case((at.is_(None), 1.0), *weeks, else_=1.0)


# --- Python forms (a resident's own list: the four parts about fit) ------------------------------------


def ability_score(wanted: Collection[int], related: Mapping[int, Collection[int]], held: Collection[int]) -> float:
    """The share of the wanted abilities (category ids) the person has one of, where a parent category and
    its children match each other (``related``: wanted id → the ids that count for it)."""
    if not wanted:
        return 1.0
    return sum(1 for w in wanted if set(related.get(w, {w})) & set(held)) / len(wanted)


def language_score(needed: Collection[str], spoken: Collection[str]) -> float:
    """1 when the person speaks one of the languages of whoever asks (or none is known), else 0."""
    return 1.0 if not needed or set(needed) & set(spoken) else 0.0


def availability_score(slots: Collection[tuple[int, Period | None]], free: Collection[tuple[int, Period]]) -> float:
    """The share of the thing's times (weekday and part of day; a part ``None`` means any) the person is free for."""
    if not slots:
        return 1.0
    return sum(1 for weekday, period in slots
               if any(day == weekday and (period is None or part == period) for day, part in free)) / len(slots)


def travel_score(*, is_remote: bool, district: str | None, can_travel: bool, home: str | None,
                 travels_to: Collection[str]) -> float:
    """1 for remote help, an unknown place, the person's own district or one they said they travel to;
    0 for someone who helps from home only; else by distance (``districts.BANDS_KM``)."""
    if is_remote or district is None:
        return 1.0
    if not can_travel:
        return 0.0
    if home == district or district in travels_to:
        return 1.0
    return districts.score_for_km(districts.distance_km(home, district)) if home else 0.0


def fit_score(weights: Mapping[str, int], scores: Mapping[str, float]) -> float:
    return sum(weights[name] * scores[name] for name in scores)


# --- reasons ---------------------------------------------------------------------------------------


def _slot_words(slot: tuple[int, Period | None]) -> Any:
    weekday, period = slot
    if period is None:
        return WEEKDAYS[weekday]
    return _l("%(day)s %(part)s", day=WEEKDAYS[weekday], part=PERIODS[period])


def _travel_reason(row: Any, thing: Thing) -> Any:
    if thing.is_remote:
        return _l("Remote: no travel needed")
    if thing.district is None:
        return _l("The place is not known yet")
    if not row.can_travel:
        return _l("Helps from home or by phone only")
    if row.postcode_district == thing.district:
        return _l("Lives in %(district)s, where it is", district=thing.district)
    if row.travel == 1:
        return _l("Will travel to %(district)s", district=thing.district)
    km = districts.distance_km(row.postcode_district, thing.district) if row.postcode_district else None
    if km is None or row.travel == 0:
        return _l("Too far from %(district)s, or their district is not known", district=thing.district)
    return _l("About %(km)d km from %(district)s (lives in %(home)s)", km=round(km), district=thing.district,
              home=row.postcode_district)


def reason(name: str, row: Any, thing: Thing, matched: Iterable[str]) -> Any:
    """One component's reason in words, from the ranking statement's row (``matched``: the labels of the
    abilities asked for that the candidate has)."""
    score = float(getattr(row, name))
    if name == "abilities":
        labels = ", ".join(matched)
        if not labels:
            return _l("None of the abilities asked for")
        return _l("Has %(count)d of the %(wanted)d abilities asked for: %(labels)s",
                  count=round(score * len(thing.category_ids)), wanted=len(thing.category_ids), labels=labels)
    if name == "languages":
        if not thing.languages:
            return _l("No language asked for")
        return _l("Speaks a language of whoever asks") if score else _l("Speaks none of the languages of whoever asks")
    if name == "availability":
        if not thing.slots:
            return _l("No set time")
        if len(thing.slots) == 1:
            words = _slot_words(thing.slots[0])
            return _l("Free on %(when)s", when=words) if score else _l("Not free on %(when)s", when=words)
        return _l("Free for %(count)d of the %(total)d session times", count=round(score * len(thing.slots)),
                  total=len(thing.slots))
    if name == "travel":
        return _travel_reason(row, thing)
    if name == "recent_load":
        if not row.recent_minutes:
            return _l("Has given no time in the last four weeks")
        return _l("Gave %(time)s in the last four weeks", time=format_minutes(int(row.recent_minutes)))
    if name == "reciprocity":
        if not (row.given_minutes or row.received_minutes):
            return _l("No exchanges yet")
        return _l("Has received %(received)s and given %(given)s", received=format_minutes(row.received_minutes),
                  given=format_minutes(row.given_minutes))
    if name == "last_asked":
        if row.last_asked_at is None:
            return _l("Not introduced to anything yet")
        return _l("Last introduced on %(day)s", day=format_date(uk_day(_aware(row.last_asked_at)), "long"))
    return _l("Declined this before") if score else _l("Has not declined this")


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
