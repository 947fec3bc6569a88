"""A heads-up before a member goes ahead: what the rules would find if one more record stood (an exchange
they gave, about to be confirmed; credits about to be spent; a place about to be taken), told in the
member's own words, before it happens. Flags inform and never block, so neither does this: it only says.

Only for a member with a standing consent and a profile, and only what is new: a finding the proposed
record brings (or makes more urgent) whose (rule, key) is not already a flag. The profile read is logged
like any other (``heads_up``). ``Provider`` answers the shared registry (``timebank.heads_up``) for the
pages and the API below this feature, and only to the member or their broker.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from timebank import heads_up as registry
from timebank.activities.models import ActivitySession
from timebank.benefits import engine, profiles
from timebank.benefits import evidence as evidence_loader
from timebank.benefits.facts import Booking, Counterparty, Evidence, Given, Redeemed, Severity
from timebank.benefits.figures import figure_book
from timebank.benefits.models import BenefitFlag
from timebank.benefits.rulebook import Context, Reference, Rule
from timebank.benefits.wording import fill
from timebank.categories.models import Category
from timebank.clock import uk_day
from timebank.ledger.models import Account, Exchange, ExchangeKind, ExchangeState, HolderKind
from timebank.members.models import Holder, Organisation, Person

Proposed = Given | Redeemed | Booking
#: The kind of evidence each proposed record is: only the rules reading it can find something new.
_KINDS = {Given: Reference.EXCHANGE, Redeemed: Reference.REDEMPTION, Booking: Reference.SIGN_UP}


@dataclass(frozen=True)
class HeadsUp:
    rule_id: str
    severity: Severity
    #: The rule's member wording, filled in.
    message: str


def member_message(rule: Rule, params: Mapping[str, Any], member_name: str) -> str:
    return fill(rule.member_text, {**params, "member": member_name})


def _day_of(proposed: Proposed) -> dt.date:
    if isinstance(proposed, Booking):
        return proposed.starts_on
    return proposed.occurred_on


def _with(evidence: Evidence, proposed: Proposed) -> Evidence:
    if isinstance(proposed, Given):
        given = tuple(g for g in evidence.given if g.exchange_id != proposed.exchange_id)
        return dataclasses.replace(evidence, given=tuple(sorted(
            (*given, proposed), key=lambda g: (g.occurred_on, g.exchange_id))))
    if isinstance(proposed, Redeemed):
        return dataclasses.replace(evidence, redeemed=(*evidence.redeemed, proposed))
    bookings = tuple(b for b in evidence.bookings if b.activity_session_id != proposed.activity_session_id)
    return dataclasses.replace(evidence, bookings=(*bookings, proposed))


def heads_up(session: Session, person_id: int, proposed: Proposed, *, actor_id: int | None = None,
             member_name: str | None = None) -> list[HeadsUp]:
    """What the rules would newly find for this member if ``proposed`` stood, most urgent first; nothing
    without a standing consent and a profile."""
    return _heads_up(session, person_id, lambda: proposed, actor_id=actor_id, member_name=member_name)


def _heads_up(session: Session, person_id: int, make: Callable[[], Proposed | None], *, actor_id: int | None,
              member_name: str | None = None) -> list[HeadsUp]:
    """``heads_up``, reading the proposed record (``make``) only for a member who consented."""
    profile = profiles.facts_of(session, person_id, actor_id=actor_id, reason="heads_up")
    if profile is None:
        return []
    proposed = make()
    if proposed is None:
        return []
    kind = _KINDS[type(proposed)]
    applicable = [rule for rule in engine.applicable(profile) if kind in rule.reads]
    if not applicable:
        return []
    day = _day_of(proposed)
    lookback = max(rule.lookback_days for rule in applicable)
    asked = (frozenset({proposed.counterpart_holder_id}) if isinstance(proposed, Given)
             and proposed.counterparty is not Counterparty.RESIDENT and proposed.counterpart_holder_id else frozenset())
    loaded = evidence_loader.load(session, person_id, day - dt.timedelta(days=lookback),
                                  day + dt.timedelta(days=engine.AHEAD_DAYS),
                                  frozenset().union(*(rule.reads for rule in applicable)), asked)
    span_end = day + dt.timedelta(days=engine.AFTER_DAYS)
    figures = figure_book()
    without = engine.find(applicable, Context(profile, loaded.evidence, figures, day, span_end))
    found = engine.find(applicable, Context(profile, _with(loaded.evidence, proposed), figures, day, span_end))
    new = {key: finding for key, finding in found.items()
           if key not in without or finding.severity.rank > without[key].severity.rank}
    if not new:
        return []
    flagged = {(rule_id, key) for rule_id, key in session.execute(
        sa.select(BenefitFlag.rule_id, BenefitFlag.key).where(BenefitFlag.person_id == person_id))}
    by_id = {rule.id: rule for rule in applicable}
    if member_name is None:
        member_name = session.scalar(sa.select(Holder.display_name).where(Holder.id == person_id)) or ""
    told = [HeadsUp(finding.rule_id, finding.severity, member_message(by_id[finding.rule_id], finding.params,
                                                                      member_name))
            for key, finding in new.items() if key not in flagged]
    return sorted(told, key=lambda told_: -told_.severity.rank)


# --- the proposed records, as the rules read them ------------------------------------------------------


def given_of(session: Session, exchange: Exchange) -> Given:
    """A pending exchange as the giver's evidence would hold it once confirmed (one statement, and one
    more for its role)."""
    receiver = aliased(Account)
    organisation = aliased(Organisation, flat=True)
    row = session.execute(
        sa.select(Category.code, receiver.holder_id, Holder.display_name, Holder.type,
                  organisation.organisation_type, organisation.charity_number)
        .select_from(receiver)
        .join(Category, Category.id == exchange.category_id)
        .outerjoin(Holder, Holder.id == receiver.holder_id)
        .outerjoin(organisation, organisation.id == receiver.holder_id)
        .where(receiver.id == exchange.receiver_account_id)
    ).one()
    roles = evidence_loader._roles(session, {exchange.role_id}) if exchange.role_id else {}
    return Given(
        exchange_id=exchange.id, occurred_on=exchange.occurred_on, minutes=exchange.amount_minutes,
        counterpart_holder_id=row.holder_id, counterpart_name=row.display_name or "",
        counterparty=evidence_loader.counterparty(row.organisation_type, row.charity_number, row.type == "person"),
        category_code=row.code, role=roles.get(exchange.role_id) if exchange.role_id else None,
        activity_session_id=exchange.session_id, relationship=evidence_loader._TIES[exchange.family_tie],
    )


def redeemed_of(session: Session, proposed: registry.ProposedRedemption) -> Redeemed:
    partner = session.scalar(sa.select(Holder.display_name).where(Holder.id == proposed.partner_id)) or ""
    return Redeemed(redemption_id=0, occurred_on=proposed.occurred_on, credit_minutes=proposed.credit_minutes,
                    redeemed_for=proposed.redeemed_for, item=proposed.item,
                    face_value_pence=proposed.face_value_pence, partner_name=partner)


def booking_of(session: Session, activity_session_id: int) -> Booking | None:
    found = session.get(ActivitySession, activity_session_id)
    if found is None or found.role_id is None:
        return None
    role = evidence_loader._roles(session, {found.role_id}).get(found.role_id)
    if role is None:
        return None
    return Booking(sign_up_id=0, activity_session_id=found.id, starts_on=uk_day(found.starts_at),
                   ends_on=uk_day(found.ends_at), role=role)


# --- what the pages and the API ask (``timebank.heads_up``) ---------------------------------------------


def _hears(session: Session, actor: Person, person_id: int) -> bool:
    """The member, or a broker of one of their banks: never an organisation's admin as such."""
    return profiles.may_read(session, actor, person_id)


def _messages(found: list[HeadsUp]) -> list[str]:
    return [told.message for told in found]


class Provider:
    def for_exchange(self, session: Session, actor: Person, exchange: Exchange) -> list[str]:
        """Only when the side about to confirm is the giver, a person (a member confirming time they gave)."""
        if (exchange.state is not ExchangeState.PENDING or exchange.kind is not ExchangeKind.EXCHANGE
                or exchange.confirmer_account_id != exchange.giver_account_id):
            return []
        giver = exchange.giver
        if giver.holder_id is None or giver.holder_kind is not HolderKind.RESIDENT:
            return []
        if not _hears(session, actor, giver.holder_id):
            return []
        return _messages(_heads_up(session, giver.holder_id, lambda: given_of(session, exchange), actor_id=actor.id))

    def for_redemption(self, session: Session, actor: Person, proposed: registry.ProposedRedemption) -> list[str]:
        if not _hears(session, actor, proposed.person_id):
            return []
        return _messages(_heads_up(session, proposed.person_id, lambda: redeemed_of(session, proposed),
                                   actor_id=actor.id))

    def for_sign_up(self, session: Session, actor: Person, proposed: registry.ProposedSignUp) -> list[str]:
        if not _hears(session, actor, proposed.person_id):
            return []
        return _messages(_heads_up(session, proposed.person_id,
                                   lambda: booking_of(session, proposed.activity_session_id), actor_id=actor.id))


PROVIDER = Provider()
