"""The demo's co-delivery: the council's and the charity's activities with their roles and sessions,
sign-ups (one session full, with a waiting list), attendance marked for past sessions, spend offers and
redemptions, residents' offers and requests, expenses with and without receipts, a thank-you voucher, an
open dispute, and the day's reminders. Only flushes.

Everything goes through the services as in real use, with one exception: sessions that took place
before the demo's day are written as they stood when they were made (a service refuses to make a
session in the past, rightly). Their attendance is then marked through ``attendance.service``, so every
hour still moves through ``ledger.service``.

Each role has met for months (``DemoRole.ran_months``, in its season), so the funder's report has hours by
form and outcome in both of its years. Who came to a session had joined the bank by its day; members who
only receive (``data.RECEIVES_ONLY``) never volunteer, members who only give (``data.GIVES_ONLY``) never
spend, and only members with credits to spare spend them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities import service as activities
from timebank.activities.models import Activity, ActivitySession, CoProductionForm, Party, Role, RoleDirection
from timebank.attendance import service as attendance
from timebank.clock import uk_day
from timebank.dates import add_months
from timebank.demo import data
from timebank.demo.brokerage import TO_SESSIONS, introduce_to_session
from timebank.exchanges import disputes
from timebank.exchanges.reminders import send_pending_reminders
from timebank.ledger.models import Account, Exchange
from timebank.listings import service as listings
from timebank.listings.models import ListingKind
from timebank.members.models import Person
from timebank.money import service as money
from timebank.money.models import ExpenseKind, PaymentKind
from timebank.receipts import RedeemedFor
from timebank.safeguarding import service as safeguarding
from timebank.safeguarding.clearances import Clearance

SEED = 2027


class _Organisation(Protocol):
    account: Account
    acts_for_them: Person


class _Bank(Protocol):
    id: int


class _Cast(Protocol):
    bank: _Bank
    broker: Person
    people: dict[str, Person]
    charity: _Organisation
    council: _Organisation


@dataclass
class CoDeliverySummary:
    activities: int = 0
    sessions: int = 0
    sign_ups: int = 0
    attended: int = 0
    listings: int = 0
    expenses: int = 0
    payments: int = 0
    redemptions: int = 0
    disputes: int = 0
    notices: int = 0
    waiting: list[str] = field(default_factory=list)


def _hhmm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def _next_weekday(today: dt.date, weekday: int) -> dt.date:
    """The first such weekday after today (so every new session is still ahead)."""
    return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


class _Loader:
    def __init__(self, session: Session, cast: _Cast, today: dt.date, progress: Callable[[int], None]) -> None:
        self.session = session
        self.cast = cast
        self.bank_id = cast.bank.id
        self.today = today
        self.progress = progress
        self.rng = random.Random(SEED)
        self.summary = CoDeliverySummary()
        self.keys = 0
        self.organisations = {"council": cast.council, "charity": cast.charity}
        # Online residents sign up themselves; the broker signs up those who are not online.
        self.residents = sorted(cast.people.values(), key=lambda person: person.id)
        #: Each resident's account, whose ``opened_at`` is the day they joined.
        self.accounts = {account.holder_id: account for account in session.scalars(
            sa.select(Account).where(Account.time_bank_id == self.bank_id, Account.holder_id.in_(
                [person.id for person in self.residents])))}

    def key(self, what: str) -> str:
        self.keys += 1
        return f"demo-{what}-{self.keys}"

    def organisation_id(self, name: str) -> int:
        holder_id = self.organisations[name].account.holder_id
        assert holder_id is not None
        return holder_id

    def admin(self, name: str) -> Person:
        return self.organisations[name].acts_for_them

    # --- activities, roles and sessions ------------------------------------------------------------

    def run(self) -> CoDeliverySummary:
        for demo_activity in data.ACTIVITIES:
            self._activity(demo_activity)
            self.progress(1)
        self._spend_offers_and_redemptions()
        self._offers_and_requests()
        self._money()
        self._dispute()
        self.summary.notices = send_pending_reminders(self.session, self.today) + listings.send_review_reminders(
            self.session, self.today)
        return self.summary

    def _activity(self, spec: data.DemoActivity) -> None:
        admin = self.admin(spec.organisation)
        activity, _ = activities.create_activity(self.session, admin, activities.NewActivity(
            title=spec.title, title_cy=spec.title_cy, summary=spec.summary, summary_cy=spec.summary_cy,
            place=spec.place, form=CoProductionForm(spec.form),
            designed_by=Party(spec.designed_by), delivered_by=Party(spec.delivered_by),
            time_bank_id=self.bank_id, organisation_id=self.organisation_id(spec.organisation),
            partner_ids=tuple(self.organisation_id(name) for name in spec.partners),
        ), idempotency_key=self.key("activity"))
        roles = []
        for role_spec in spec.roles:
            role, _ = activities.add_role(self.session, admin, activity.id, activities.RoleDetails(
                title=role_spec.title, title_cy=role_spec.title_cy, description=role_spec.description,
                description_cy=role_spec.description_cy, category=role_spec.category,
                abilities=role_spec.abilities,
                direction=RoleDirection.SPENDS if role_spec.spends else RoleDirection.GIVES,
                places=role_spec.places, credit_minutes=role_spec.credit_minutes,
                clearance=Clearance(role_spec.clearance) if role_spec.clearance else None,
                normally_paid=role_spec.normally_paid, service_user_involvement=role_spec.service_user_involvement,
                release_notice_hours=role_spec.release_notice_hours, away_overnight=role_spec.away_overnight,
            ), idempotency_key=self.key("role"))
            roles.append((role, role_spec))
        activities.publish(self.session, admin, activity.id)
        self.summary.activities += 1
        for role, role_spec in roles:
            self._past_sessions(role, role_spec, admin)
            self._future_sessions(activity, role, role_spec, admin)

    def _times(self, role_spec: data.DemoRole, on: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (activities.uk_moment(on, _hhmm(role_spec.starts)), activities.uk_moment(on, _hhmm(role_spec.ends)))

    def _past_days(self, role_spec: data.DemoRole) -> list[dt.date]:
        """The days the role met before the demo's day, oldest first: every ``every_weeks`` weeks of its
        season, back to ``ran_months`` months ago."""
        on = _next_weekday(self.today, role_spec.weekday) - dt.timedelta(weeks=1)
        if on == self.today:
            on -= dt.timedelta(weeks=role_spec.every_weeks)
        since, days = add_months(self.today, -role_spec.ran_months), []
        while on >= since:
            if not role_spec.season or on.month in role_spec.season:
                days.append(on)
            on -= dt.timedelta(weeks=role_spec.every_weeks)
        return days[::-1]

    def _joined_by(self, people: Sequence[Person], day: dt.date) -> list[Person]:
        return [person for person in people if uk_day(self.accounts[person.id].opened_at) <= day]

    def _spenders(self, day: dt.date, minutes: int) -> list[Person]:
        """Members by the day who spend credits, with twice ``minutes`` to spare."""
        return [person for person in self._joined_by(self.residents, day)
                if person.display_name not in data.GIVES_ONLY
                and self.accounts[person.id].available_minutes >= 2 * minutes]

    def _may_come(self, role_spec: data.DemoRole, day: dt.date) -> list[Person]:
        """Who may come to a session of the role on the day: members by then who give (who spend, for a
        role that spends)."""
        if role_spec.spends:
            return self._spenders(day, role_spec.credit_minutes or 0)
        return [person for person in self._joined_by(self.residents, day)
                if person.display_name not in data.RECEIVES_ONLY]

    def _turnout(self, places: int) -> int:
        """Who came to a past session: a third to a half of its places (at least one)."""
        return self.rng.randint(max(1, places // 3), max(1, (places + 1) // 2))

    def _introduced(self, role_spec: data.DemoRole, days: Sequence[dt.date]) -> dict[dt.date, Person]:
        """Who the broker introduced to which of the role's past sessions (``brokerage.TO_SESSIONS``): the
        first one from the month they were introduced."""
        introduced = {}
        for months_ago, title, name in TO_SESSIONS:
            since = add_months(self.today, -months_ago)
            if title == role_spec.title:
                introduced[next(day for day in days if day >= since)] = self.cast.people[name]
        return introduced

    def _past_sessions(self, role: Role, role_spec: data.DemoRole, admin: Person) -> None:
        days = self._past_days(role_spec)
        introduced = self._introduced(role_spec, days)
        for on in days:
            newcomer = introduced.get(on)
            # A session the broker introduced someone to is made as it stood then: still to come.
            starts_at, ends_at = self._times(role_spec, self.today + dt.timedelta(weeks=1) if newcomer else on)
            past = ActivitySession(role_id=role.id, starts_at=starts_at, ends_at=ends_at, places=role.places)
            self.session.add(past)
            self.session.flush()
            if newcomer is not None:
                introduce_to_session(self.session, self.cast.broker, admin, newcomer, past, on)
                past.starts_at, past.ends_at = self._times(role_spec, on)
                self.session.flush()
            if role_spec.volunteers:
                came = self._joined_by(self._volunteers(role_spec, cleared_on=on), on)
            else:
                pool = [person for person in self._may_come(role_spec, on) if person is not newcomer]
                came = self.rng.sample(pool, min(len(pool), self._turnout(role.places)))
            came = [*([newcomer] if newcomer else []), *came]
            if not came:
                continue
            marks = [attendance.Mark(person_id=person.id, attended=True) for person in came]
            result = attendance.mark_attendance(self.session, admin, past.id, marks)
            self.summary.sessions += 1
            self.summary.attended += len(result.exchanges)

    def _future_sessions(self, activity: Activity, role: Role, role_spec: data.DemoRole, admin: Person) -> None:
        first = _next_weekday(self.today, role_spec.weekday)
        made: list[ActivitySession] = []
        for n in range(role_spec.future_sessions):
            on = first + dt.timedelta(weeks=role_spec.every_weeks * n)
            sessions, _ = activities.add_sessions(self.session, admin, activity.id, role.id, activities.NewSessions(
                on=on, start_time=_hhmm(role_spec.starts), end_time=_hhmm(role_spec.ends),
            ), idempotency_key=self.key("session"))
            made.extend(sessions)
        self.summary.sessions += len(made)
        for index, upcoming in enumerate(made):
            full = role_spec.title == data.FULL_SESSION_ROLE and index == 0
            wanted = role.places + 1 if full else self.rng.randint(1, max(1, role.places - 1))
            if role_spec.volunteers:
                people = self._volunteers(role_spec, cleared_on=uk_day(upcoming.starts_at))
            else:
                people = self._some_people(wanted, pool=self._may_come(role_spec, self.today),
                                           logins_first=index == 0)
            for person in people:
                sign_up, _ = attendance.sign_up(self.session, self._acting_for(person), upcoming.id, person.id)
                self.summary.sign_ups += 1
                if full and sign_up.status.value == "waiting":
                    self.summary.waiting.append(person.display_name)

    def _some_people(self, count: int, *, pool: Sequence[Person] | None = None,
                     logins_first: bool = False) -> Sequence[Person]:
        pool = self.residents if pool is None else pool
        chosen = self.rng.sample(pool, min(count, len(pool)))
        if logins_first:
            logins = [self.cast.people[r.name] for r in data.RESIDENTS if r.login]
            chosen = [*logins, *(p for p in chosen if p not in logins)][:count]
        return chosen

    def _volunteers(self, role_spec: data.DemoRole, cleared_on: dt.date | None = None) -> list[Person]:
        """The role's named volunteers; for a session to come, those who will hold its clearance on the day
        (a check running out first keeps its holder off the later sessions, as sign-up would refuse)."""
        people = [self.cast.people[name] for name in role_spec.volunteers]
        if cleared_on is None or role_spec.clearance is None:
            return people
        clearance = Clearance(role_spec.clearance)
        gaps = safeguarding.clearance_gaps(self.session, self.bank_id,
                                           [(person.id, clearance, cleared_on) for person in people])
        return [person for person in people if (person.id, clearance, cleared_on) not in gaps]

    def _acting_for(self, person: Person) -> Person:
        """The person themselves if they are online, else the broker who signs them up."""
        return person if person.email else self.cast.broker

    # --- listings and spending -----------------------------------------------------------------------

    def _spend_offers_and_redemptions(self) -> None:
        for organisation, title, details, category, price, receives in data.SPEND_OFFERS:
            offer, _ = listings.create_listing(
                self.session, self.admin(organisation), holder_id=self.organisation_id(organisation),
                time_bank_id=self.bank_id, kind=ListingKind.SPEND, today=self.today,
                details=listings.ListingDetails(title=title, details=details, category=category,
                                                price_minutes=price, receives=RedeemedFor(receives)),
            )
            self.summary.listings += 1
            spenders = self._some_people(2, pool=self._spenders(self.today, price))
            for days_ago, person in zip((12, 5), spenders, strict=True):
                money.redeem(self.session, self.admin(organisation), money.RedemptionInput(
                    partner_id=self.organisation_id(organisation), time_bank_id=self.bank_id,
                    person_id=person.id, item=title, redeemed_for=RedeemedFor(receives), credit_minutes=price,
                    occurred_on=self.today - dt.timedelta(days=days_ago), idempotency_key=self.key("redeem"),
                    listing_id=offer.id,
                ))
                self.summary.redemptions += 1

    def _offers_and_requests(self) -> None:
        for name, ability, title, details in data.OFFERS:
            person = self.cast.people[name]
            listings.create_listing(
                self.session, self._acting_for(person), holder_id=person.id, time_bank_id=self.bank_id,
                kind=ListingKind.OFFER, today=self.today,
                details=listings.ListingDetails(title=title, category=ability, details=details),
            )
            self.summary.listings += 1
        for who, category, title, details, days_ahead, at, minutes in data.REQUESTS:
            if who in self.organisations:
                holder_id, actor = self.organisation_id(who), self.admin(who)
            else:
                person = self.cast.people[who]
                holder_id, actor = person.id, self._acting_for(person)
            listings.create_listing(
                self.session, actor, holder_id=holder_id, time_bank_id=self.bank_id,
                kind=ListingKind.REQUEST, today=self.today,
                details=listings.ListingDetails(
                    title=title, category=category, details=details,
                    needed_on=self.today + dt.timedelta(days=days_ahead), needed_at=_hhmm(at) if at else None,
                    estimated_minutes=minutes,
                ),
            )
            self.summary.listings += 1

    # --- money ---------------------------------------------------------------------------------------

    def _money(self) -> None:
        for organisation, name, days_ago, kind, paid, receipted, receipts, miles, rate, flat, note in data.EXPENSES:
            money.record_expense(self.session, self.admin(organisation), money.ExpenseInput(
                organisation_id=self.organisation_id(organisation), time_bank_id=self.bank_id,
                person_id=self.cast.people[name].id, paid_on=self.today - dt.timedelta(days=days_ago),
                kind=ExpenseKind(kind), amount_paid_pence=money.parse_pounds(paid),
                amount_receipted_pence=money.parse_pounds(receipted), receipts_count=receipts,
                miles_tenths=money.parse_miles(miles) if miles else None, rate_per_mile_pence=rate,
                flat_rate=flat, note=note, idempotency_key=self.key("expense"),
            ))
            self.summary.expenses += 1
        for name, days_ago, kind, amount, note in data.PAYMENTS:
            money.record_payment(self.session, self.admin("council"), money.PaymentInput(
                organisation_id=self.organisation_id("council"), time_bank_id=self.bank_id,
                person_id=self.cast.people[name].id, paid_on=self.today - dt.timedelta(days=days_ago),
                kind=PaymentKind(kind), amount_pence=money.parse_pounds(amount), note=note,
                idempotency_key=self.key("payment"),
            ))
            self.summary.payments += 1

    def _dispute(self) -> None:
        """A resident questions the hours she was credited for the last session she came to."""
        volunteer = next(self.cast.people[r.name] for r in data.RESIDENTS if r.login)
        exchange_id = self.session.scalar(
            sa.select(Exchange.id)
            .join(Account, Account.id == Exchange.giver_account_id)
            .where(Account.holder_id == volunteer.id, Exchange.session_id.is_not(None))
            .order_by(Exchange.occurred_on.desc(), Exchange.id.desc())
            .limit(1)
        )
        if exchange_id is not None:
            disputes.raise_dispute(self.session, volunteer, exchange_id, data.DISPUTE_REASON)
            self.summary.disputes += 1


def load_codelivery(
    session: Session, cast: _Cast, today: dt.date, progress: Callable[[int], None]
) -> CoDeliverySummary:
    return _Loader(session, cast, today, progress).run()
