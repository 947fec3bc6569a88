"""Heads-ups before someone goes ahead: plain messages a page or the API shows before a member (or a broker
for them) confirms an exchange they gave, spends credits or takes a place on a session.

They inform and never block: whoever sees them may still go ahead. The features that take these steps
(``exchanges``, ``money``, ``attendance``) are below the one that knows what to say (``benefits``), so they
ask this registry, and the app factory registers the providers (``register``). Without a provider every
question has no answer: nothing to say.

A provider decides who may hear what: it answers only the member themselves or someone who may read their
benefit data (their broker), never an organisation's admin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from timebank.receipts import RedeemedFor


@dataclass(frozen=True)
class ProposedRedemption:
    """Credits a member is about to spend with a spend partner (``money.service.RedemptionInput``'s facts)."""

    person_id: int
    time_bank_id: int
    partner_id: int
    occurred_on: dt.date
    credit_minutes: int
    redeemed_for: RedeemedFor
    item: str
    face_value_pence: int | None = None


@dataclass(frozen=True)
class ProposedSignUp:
    """A place a member is about to take on an activity session."""

    person_id: int
    activity_session_id: int


class Provider(Protocol):
    """What a provider answers; ``actor`` is the signed-in person (``members.models.Person``) and
    ``exchange`` a pending ``ledger.models.Exchange``."""

    def for_exchange(self, session: Session, actor: Any, exchange: Any) -> list[str]: ...

    def for_redemption(self, session: Session, actor: Any, proposed: ProposedRedemption) -> list[str]: ...

    def for_sign_up(self, session: Session, actor: Any, proposed: ProposedSignUp) -> list[str]: ...


_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a provider (the app factory, once; registering the same one again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def for_exchange(session: Session, actor: Any, exchange: Any) -> list[str]:
    """What to tell ``actor`` before they confirm this pending exchange."""
    return [message for provider in _providers for message in provider.for_exchange(session, actor, exchange)]


def for_redemption(session: Session, actor: Any, proposed: ProposedRedemption) -> list[str]:
    """What to tell ``actor`` before they record this redemption."""
    return [message for provider in _providers for message in provider.for_redemption(session, actor, proposed)]


def for_sign_up(session: Session, actor: Any, proposed: ProposedSignUp) -> list[str]:
    """What to tell ``actor`` before they take this place."""
    return [message for provider in _providers for message in provider.for_sign_up(session, actor, proposed)]
