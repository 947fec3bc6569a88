"""When to ask "how did it go?": the ledger tells of every exchange that comes to stand
(``ledger.service.add_settlement_listener``, wired by the app factory: nothing below imports this).

* A session's exchange (``exchange.session_id``: attendance marked) asks the person who came, once per
  session (``session_attended``).
* A member's exchange asks the person side that did not confirm it, once (``exchange_confirmed``), when
  the other side confirmed it themselves (its holder, or an admin for its organisation): not when a broker
  confirmed for them, as in a timesheet import, where "<name> confirmed" would not be true. The side
  that confirmed finds the question on the exchange's page.

Only about something recent (within the email link's life): a broker keying in last year's timesheets
asks nobody.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.clock import uk_today
from timebank.feedback.links import VALID_FOR
from timebank.ledger.models import Account, Exchange, ExchangeEvent, ExchangeKind, ExchangeState, HolderKind
from timebank.members.models import OrganisationAdmin, Person
from timebank.notices import service as notices
from timebank.notices.models import NoticeKind


def _person(session: Session, account_id: int) -> Person | None:
    account = session.get(Account, account_id)
    if account is None or account.holder_kind is not HolderKind.RESIDENT or account.holder_id is None:
        return None
    person = session.get(Person, account.holder_id)
    return person if person is not None and person.pseudonymised_at is None else None


def _confirmed_by_their_side(session: Session, exchange: Exchange) -> bool:
    actor_id = session.scalar(sa.select(ExchangeEvent.actor_id).where(
        ExchangeEvent.exchange_id == exchange.id, ExchangeEvent.to_state == ExchangeState.CONFIRMED))
    account = session.get(Account, exchange.confirmer_account_id)
    if account is None or account.holder_id is None or actor_id is None:
        return False
    if account.holder_id == actor_id:
        return True
    admin = sa.select(OrganisationAdmin.person_id).where(OrganisationAdmin.organisation_id == account.holder_id,
                                                         OrganisationAdmin.person_id == actor_id)
    return account.holder_kind is not HolderKind.RESIDENT and session.scalar(admin) is not None


def on_settled(session: Session, exchange: Exchange) -> None:
    if exchange.kind is not ExchangeKind.EXCHANGE or exchange.state is not ExchangeState.CONFIRMED:
        return
    if uk_today() - exchange.occurred_on > VALID_FOR:
        return
    if exchange.session_id is not None:
        kind, subject_id = NoticeKind.SESSION_ATTENDED, exchange.session_id
        person = _person(session, exchange.confirmer_account_id)  # the organisation proposed it for them
    else:
        kind, subject_id = NoticeKind.EXCHANGE_CONFIRMED, exchange.id
        person = (_person(session, exchange.proposer_account_id) if _confirmed_by_their_side(session, exchange)
                  else None)
    if person is not None:
        notices.notify(session, [person.id], kind, subject_id, f"{kind.value}:{subject_id}",
                       time_bank_id=exchange.time_bank_id)
