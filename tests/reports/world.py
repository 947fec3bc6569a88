"""A small bank to report on, built through the real services: residents, a charity, a council with a
co-produced activity and its role, the community pot, and helpers that record, confirm and reverse hours."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, CoProductionForm, Party, Role
from timebank.banks import service as banks
from timebank.categories.models import Category
from timebank.errors import DomainError
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange
from timebank.members import service as members
from timebank.members.models import OrganisationType, Person
from timebank.programmes.models import Funder, Programme, ProgrammeOutcome, ProgrammeScope

RESIDENTS = 6


@dataclass
class World:
    session: Session
    bank_id: int
    broker: Person
    #: Residents' accounts, then the charity's, the council's and the community pot.
    accounts: list[Account]
    actor_for: dict[int, int]
    charity_id: int
    council_id: int
    activity_id: int
    role_id: int
    categories: dict[str, int]

    @property
    def residents(self) -> list[Account]:
        return self.accounts[:RESIDENTS]

    @property
    def charity(self) -> Account:
        return self.accounts[RESIDENTS]

    @property
    def council(self) -> Account:
        return self.accounts[RESIDENTS + 1]

    @property
    def pot(self) -> Account:
        return self.accounts[RESIDENTS + 2]

    def exchange(self, giver: Account, receiver: Account, minutes: int, on: dt.date, *, from_activity: bool = False,
                 category: str = "gardening", role_id: int | None = None) -> Exchange:
        """Hours the giver gave, proposed by the giver and confirmed by the receiver (from the activity's role,
        or another of its roles)."""
        role = role_id or self.role_id
        source = ledger.Source(activity_id=self.activity_id, role_id=role) if from_activity or role_id else None
        exchange, _ = ledger.record_exchange(
            self.session, proposer_account_id=giver.id, counterpart_account_id=receiver.id, proposer_is_giver=True,
            amount_minutes=minutes, occurred_on=on, category_id=self.categories[category], description="",
            recorded_by_id=self.actor_for[giver.id], idempotency_key=uuid.uuid4().hex, source=source)
        return ledger.confirm_exchange(self.session, exchange.id, actor_id=self.actor_for[receiver.id],
                                       acting_for_account_id=receiver.id)

    def reverse(self, exchange: Exchange) -> Exchange:
        return ledger.reverse_exchange(self.session, exchange.id, actor_id=self.broker.id, reason="Recorded twice")

    def play(self, steps: Sequence[tuple[Any, ...]], day_of: Callable[[int], dt.date]) -> None:
        """A property test's ledger: each step in a savepoint of its own, ``("reverse", n)`` reversing the
        n-th exchange made (counting round), any other ``(giver, receiver, minutes, months ago, category, from
        the activity)`` recording and confirming one on ``day_of(months ago)``, by index into ``accounts``. A
        refused step (the same account twice, a limit, a second reversal) keeps nothing."""
        done: list[Exchange] = []
        for step in steps:
            attempt = self.session.begin_nested()
            try:
                if step[0] == "reverse":
                    if done:
                        self.reverse(done[step[1] % len(done)])
                else:
                    giver, receiver, minutes, ago, category, from_activity = step
                    done.append(self.exchange(self.accounts[giver], self.accounts[receiver], minutes, day_of(ago),
                                              category=category, from_activity=from_activity))
            except DomainError:
                attempt.rollback()
            else:
                attempt.commit()


def build(session: Session, opened_on: dt.date = dt.date(2000, 1, 1)) -> World:
    tag = uuid.uuid4().hex[:8]
    bank = banks.create_bank(session, slug=f"report-{tag}", name="Cwm Rhyd Time Bank", agency_name="Cwm Rhyd Action",
                             actor_id=None, opened_on=opened_on)
    broker = members.create_person(session, display_name="Bethan Broker", email=None, is_admin=True)
    people = [members.create_person(session, display_name=f"Resident {n}", email=None) for n in range(RESIDENTS)]
    accounts = [members.join_bank(session, person, bank.id, actor_id=None) for person in people]
    actor_for = {account.id: person.id for person, account in zip(people, accounts, strict=True)}
    organisations = [members.create_organisation(session, display_name=f"{name} {tag}", organisation_type=kind,
                                                 admin_ids=(people[0].id,))
                     for name, kind in (("Afon Trust", OrganisationType.CHARITY),
                                        ("Cyngor Rhyd", OrganisationType.COUNCIL))]
    for organisation in organisations:
        accounts.append(members.join_bank(session, organisation, bank.id, actor_id=None))
        actor_for[accounts[-1].id] = people[0].id
    accounts.append(ledger.community_pot(session, bank.id))
    actor_for[accounts[-1].id] = broker.id
    categories = dict(session.execute(sa.select(Category.code, Category.id)
                                      .where(Category.code.in_(("gardening", "food-growing", "other")))).all())
    activity = Activity(time_bank_id=bank.id, organisation_id=organisations[1].id, title="Community garden",
                        form=CoProductionForm.CO_DELIVERING, designed_by=Party.SHARED, delivered_by=Party.COMMUNITY,
                        created_by_id=people[0].id)
    session.add(activity)
    session.flush()
    role = Role(activity_id=activity.id, title="Grower", category_id=categories["food-growing"], places=10)
    session.add(role)
    session.flush()
    return World(session, bank.id, broker, accounts, actor_for, organisations[0].id, organisations[1].id,
                 activity.id, role.id, categories)


def programme(world: World, scopes: list[tuple[int | None, int | None]], *, outcomes: tuple[str, ...] = (),
              value_per_hour_pence: int = 1221) -> Programme:
    """A funder's programme over scopes of the world's bank (``(organisation id, activity id)``, both None for
    the whole bank), with outcomes of its own."""
    session = world.session
    funder = Funder(name=f"Ymddiriedolaeth Glannau {uuid.uuid4().hex[:6]}")
    session.add(funder)
    session.flush()
    found = Programme(funder_id=funder.id, name="Growing together", name_cy="Tyfu gyda'n gilydd",
                      starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2030, 12, 31),
                      value_per_hour_pence=value_per_hour_pence, value_source="National Living Wage",
                      value_year=2026, created_by_id=world.broker.id)
    session.add(found)
    session.flush()
    session.add_all([ProgrammeScope(programme_id=found.id, time_bank_id=world.bank_id, organisation_id=organisation,
                                    activity_id=activity) for organisation, activity in scopes])
    session.add_all([ProgrammeOutcome(programme_id=found.id, name=name, position=n) for n, name in enumerate(outcomes)])
    session.flush()
    return found
