"""Matching for brokers: find people for a request, a role or a session of their bank, and set the bank's
weights. Access is decided here, first: only a broker of the thing's bank (``members.policy``). Only
flushes; a change of weights is audited.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.activities.models import ActivitySession, Role
from timebank.audit import service as audit
from timebank.banks.models import TimeBank
from timebank.brokerage.models import DEFAULT_WEIGHTS, MAX_WEIGHT, WEIGHT_NAMES, MatchWeights
from timebank.errors import NotFound
from timebank.listings.models import Listing, ListingKind
from timebank.matching import engine, errors
from timebank.members import policy
from timebank.members.models import Person
from timebank.types import utcnow


def require_broker(session: Session, actor: Person) -> None:
    """Matching is for brokers: anyone who brokers no bank is refused before anything is read."""
    if not policy.broker_bank_ids(session, actor):
        raise errors.NotBroker()


def _require_broker_of(session: Session, actor: Person, time_bank_id: int) -> None:
    if not policy.is_broker(session, actor, time_bank_id):
        raise errors.NotBroker()


def request_for(session: Session, actor: Person, listing_id: int) -> engine.Thing:
    require_broker(session, actor)
    listing = session.get(Listing, listing_id)
    if listing is None or listing.kind != ListingKind.REQUEST:
        raise NotFound(_l("There is no such request"))
    _require_broker_of(session, actor, listing.time_bank_id)
    return engine.request_thing(session, listing)


def role_for(session: Session, actor: Person, role_id: int) -> engine.Thing:
    require_broker(session, actor)
    role = session.get(Role, role_id)
    if role is None:
        raise NotFound(_l("There is no such role"))
    _require_broker_of(session, actor, role.activity.time_bank_id)
    return engine.role_thing(session, role)


def session_for(session: Session, actor: Person, session_id: int) -> engine.Thing:
    require_broker(session, actor)
    activity_session = session.get(ActivitySession, session_id)
    if activity_session is None:
        raise NotFound(_l("There is no such session"))
    _require_broker_of(session, actor, activity_session.role.activity.time_bank_id)
    return engine.session_thing(session, activity_session)


def find(session: Session, thing: engine.Thing, page: int = 1) -> engine.Matches:
    """The ranked candidates for a thing already checked by ``request_for``/``role_for``/``session_for``."""
    return engine.find(session, thing, page=page)


def _bank(session: Session, actor: Person, time_bank_id: int) -> TimeBank:
    require_broker(session, actor)
    time_bank = session.get(TimeBank, time_bank_id)
    if time_bank is None:
        raise NotFound(_l("There is no such time bank"))
    _require_broker_of(session, actor, time_bank_id)
    return time_bank


def weights_for(session: Session, actor: Person, time_bank_id: int) -> dict[str, int]:
    _bank(session, actor, time_bank_id)
    return engine.weights_of(session, time_bank_id)


def set_weights(session: Session, actor: Person, time_bank_id: int, values: Mapping[str, int]) -> dict[str, int]:
    """Set every weight (whole numbers 0–100; a name left out keeps its value). Audited with before and after."""
    _bank(session, actor, time_bank_id)
    for name in WEIGHT_NAMES:
        value = values.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 0 <= value <= MAX_WEIGHT):
            raise errors.WeightOutOfRange(field=name)
    before = engine.weights_of(session, time_bank_id)
    after = {name: values.get(name, before[name]) for name in WEIGHT_NAMES}
    row = session.get(MatchWeights, time_bank_id) or MatchWeights(time_bank_id=time_bank_id)
    for name, value in after.items():
        setattr(row, name, value)
    row.updated_by_id = actor.id
    # Set here, not left to the column's server default: the brokerage migration writes it as PostgreSQL's
    # now(), which SQLite does not know.
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(session, "matching.weights_changed", actor_id=actor.id, subject_type="time_bank",
                 subject_id=time_bank_id, time_bank_id=time_bank_id, before=before, after=after)
    return after


def reset_weights(session: Session, actor: Person, time_bank_id: int) -> dict[str, int]:
    """Back to the documented defaults (the bank's row goes: no row means the defaults). Audited."""
    _bank(session, actor, time_bank_id)
    before = engine.weights_of(session, time_bank_id)
    row = session.get(MatchWeights, time_bank_id)
    if row is not None:
        session.delete(row)
        session.flush()
    audit.record(session, "matching.weights_reset", actor_id=actor.id, subject_type="time_bank",
                 subject_id=time_bank_id, time_bank_id=time_bank_id, before=before)
    return dict(DEFAULT_WEIGHTS)
