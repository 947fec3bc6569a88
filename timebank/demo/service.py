"""The demo time bank: a small fictional bank with nearly two years of exchanges. Only flushes.

Everything goes through the services, exactly as it would in real use. Residents are enrolled with
their contact details and an abilities-first profile (filled in by the broker, as at a drop-in); those
who hold clearances joined by application, with two satisfactory references and a DBS check the broker
saw. Every hour moves through ``ledger.service``: recorded, then confirmed, declined or cancelled by the
other side, and now and then reversed by the broker, so the demo shows what the app really produces and
``ledger verify`` holds afterwards. The bank uses community vouching, and a few applications are
waiting or decided: one in review with references, one with vouches, one declined. A fixed random seed
makes it the same every time (relative to the day it is loaded).

The history reads like a real bank's, for the funder's report above all: members joined over the years
(``data.JOINED_MONTHS_AGO``) and take part only from the day they joined; help grows modestly month by
month; some members only give and some only receive (``data.GIVES_ONLY``, ``data.RECEIVES_ONLY``). The
services date an exchange by the day the help happened (``occurred_on``), but open an account at the
moment they run: each account is opened through them and then dated back to the day its holder joined,
as the books of a bank that moved onto timebank from paper would hold it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.auth import service as auth
from timebank.auth import tokens
from timebank.auth.models import TokenScope
from timebank.auth.passwords import hash_password
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.clock import UK, uk_today
from timebank.dates import add_months
from timebank.demo import data
from timebank.demo.benefits import load_benefits
from timebank.demo.brokerage import load_brokerage, load_past_introductions
from timebank.demo.codelivery import CoDeliverySummary, load_codelivery
from timebank.demo.feedback import load_feedback
from timebank.demo.mail import load_mail
from timebank.demo.matching import load_matching
from timebank.demo.programmes import load_programmes
from timebank.demo.timesheets import load_timesheets
from timebank.ledger import errors as ledger_errors
from timebank.ledger import service as ledger
from timebank.ledger.limits import Balance, BalanceSimulator, Movement
from timebank.ledger.models import Account, Exchange, ExchangeState
from timebank.members import service as members
from timebank.members.models import BankRoleName, Language, OrganisationType, Person
from timebank.membership import service as membership
from timebank.membership.models import Application, ReferenceOutcome
from timebank.profiles import service as profiles
from timebank.profiles.models import Period, Profile
from timebank.safeguarding import service as safeguarding
from timebank.safeguarding.models import DbsCheck

SEED = 2026
#: Occasions over the history; group sessions make a few more exchanges than occasions.
OCCASIONS = 480
#: Minutes a member who only receives keeps in hand above their lowest allowed balance.
RESERVE = 3 * 60
#: How much busier the last day of the history is than its first (help grows with the membership).
GROWTH = 0.3
#: Exchanges added at the end so the demo residents have something waiting for them.
FINAL_PENDING = 5
#: Progress steps ``load_demo`` reports: one per occasion, one per final pending exchange and one per
#: co-delivery activity.
STEPS = OCCASIONS + FINAL_PENDING + len(data.ACTIVITIES)
#: Recent occasions may still be waiting for the other side.
PENDING_WITHIN_DAYS = 21
#: The vetted residents were interviewed this many days before they joined (their references came back a
#: week later).
INTERVIEWED_DAYS_BEFORE = 21

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    name: str


LOGINS: tuple[Login, ...] = (
    *(Login(f"resident{'' if i == 0 else i + 1}", r.email or "", r.name)
      for i, r in enumerate(r for r in data.RESIDENTS if r.login)),
    *(Login(staff.role, staff.email, staff.name)
      for staff in (data.BROKER, data.CHARITY_ADMIN, data.COUNCIL_ADMIN, data.FUNDER, data.ADMIN)),
    Login("applicant", data.PENDING_APPLICANT.email, data.PENDING_APPLICANT.name),
)


@dataclass
class DemoSummary:
    time_bank_id: int
    created: bool
    residents: int = 0
    profiles: int = 0
    exchanges_by_state: dict[str, int] = field(default_factory=dict)
    applications_by_status: dict[str, int] = field(default_factory=dict)
    dbs_checks: int = 0
    #: DBS checks that stop counting within 30 days: the broker's list of renewals.
    expiring_checks: int = 0
    codelivery: CoDeliverySummary = field(default_factory=CoDeliverySummary)


def find_demo_bank(session: Session) -> TimeBank | None:
    return session.scalar(sa.select(TimeBank).where(TimeBank.slug == data.BANK_SLUG))


def load_demo(session: Session, *, today: dt.date | None = None, progress: Progress | None = None) -> DemoSummary:
    """Create the demo bank, its people and their profiles, applications and nearly two years of exchanges, unless it
    is already there."""
    existing = find_demo_bank(session)
    if existing is not None:
        return DemoSummary(time_bank_id=existing.id, created=False)
    today = today or uk_today()
    cast = _Cast.create(session, today)
    _applications(session, cast, today)
    load_past_introductions(session, cast.broker, cast.bank.id, cast.people, today)
    progress = progress or (lambda _n: None)
    _Year(session, cast, today, progress).run()
    codelivery = load_codelivery(session, cast, today, progress)
    load_timesheets(session, cast.broker, cast.bank.id, cast.residents, today)
    load_benefits(session, cast.broker, cast.people, today)
    load_brokerage(session, cast.broker, cast.bank.id, cast.people, today)
    load_feedback(session, cast.broker, cast.bank.id, list(cast.people.values()))
    load_matching(session, cast.broker, cast.council.acts_for_them, cast.council.account.holder_id, cast.bank.id,
                  cast.people, today)
    load_programmes(session, _staff_member(session, data.ADMIN), cast.broker, _staff_member(session, data.FUNDER),
                    {name: (party.account.holder_id, party.acts_for_them)
                     for name, party in (("charity", cast.charity), ("council", cast.council))},
                    cast.bank.id, today)
    _signing_in(session, cast)
    load_mail(session, cast, today)
    summary = _summary(session, cast, today)
    summary.codelivery = codelivery
    return summary


def _staff_member(session: Session, who: data.Staff) -> Person:
    person = members.find_person_by_email(session, who.email)
    if person is None:
        raise LookupError(f"the demo's {who.role} is not there")
    return person


def _summary(session: Session, cast: _Cast, today: dt.date) -> DemoSummary:
    bank_id = cast.bank.id
    holders = sa.select(Account.holder_id).where(Account.time_bank_id == bank_id)
    states = session.execute(
        sa.select(Exchange.state, sa.func.count()).where(Exchange.time_bank_id == bank_id).group_by(Exchange.state)
    ).all()
    statuses = session.execute(
        sa.select(Application.status, sa.func.count()).where(Application.time_bank_id == bank_id)
        .group_by(Application.status)
    ).all()
    return DemoSummary(
        time_bank_id=bank_id,
        created=True,
        residents=len(cast.residents),
        profiles=session.scalar(sa.select(sa.func.count()).where(Profile.holder_id.in_(holders))) or 0,
        exchanges_by_state={state.value: count for state, count in states},
        applications_by_status={status.value: count for status, count in statuses},
        dbs_checks=session.scalar(sa.select(sa.func.count()).where(DbsCheck.time_bank_id == bank_id)) or 0,
        expiring_checks=len(safeguarding.expiring_checks(session, cast.broker, bank_id, today)),
    )


def _signing_in(session: Session, cast: _Cast) -> None:
    """A read-only API token the first demo resident made, and a member asking the broker for a password."""
    resident = next(cast.people[r.name] for r in data.RESIDENTS if r.login)
    name, days = data.RESIDENT_TOKEN
    tokens.make_token(session, resident, name=name, scope=TokenScope.READ, expires_in_days=days)
    asking = cast.people[data.ASKS_FOR_PASSWORD]
    assert asking.email is not None
    auth.ask_for_password_help(session, asking.email)


# --- the people ------------------------------------------------------------------------------------

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PARTS = {"am": Period.MORNING, "pm": Period.AFTERNOON, "eve": Period.EVENING}


def weekly_grid(text: str) -> tuple[tuple[int, Period], ...]:
    """Cells of the weekly grid from "Mon-Fri am, Sat pm": (weekday, part of the day) pairs."""
    cells = []
    for item in text.split(","):
        days, part = item.split()
        first, _, last = days.partition("-")
        cells.extend((day, PARTS[part]) for day in range(DAYS.index(first), DAYS.index(last or first) + 1))
    return tuple(cells)


def profile_update(resident: data.Resident) -> profiles.ProfileUpdate:
    """The resident's profile as they would fill in the form."""
    return profiles.ProfileUpdate(
        abilities=resident.abilities,
        about=resident.about,
        learn_or_share=resident.learn_or_share,
        experience=resident.experience,
        enjoys=resident.enjoys,
        languages=resident.languages,
        availability=weekly_grid(resident.available),
        can_travel=resident.travel is not None,
        travel_districts=resident.travel or (),
        show_name=not resident.hide_name,
        show_area=not resident.hide_area,
        show_contact=resident.show_contact,
    )


@dataclass
class _Party:
    """Someone who can be on one side of an exchange, and who keys and confirms for them."""

    name: str
    account: Account
    #: Who records and confirms for this side: the member, the organisation's admin, or the broker.
    acts_for_them: Person
    is_online: bool = True
    #: The UK day they joined the bank: they take part from then on.
    joined_on: dt.date = dt.date.min
    gives: bool = True
    receives: bool = True

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


@dataclass
class _Cast:
    bank: TimeBank
    broker: Person
    residents: list[_Party]
    charity: _Party
    council: _Party
    #: Each resident by name.
    people: dict[str, Person]

    @classmethod
    def create(cls, session: Session, today: dt.date) -> _Cast:
        def staff(who: data.Staff, **kw: object) -> Person:
            return members.create_person(
                session, display_name=who.name, email=who.email, password_hash=hash_password(data.DEMO_PASSWORD), **kw
            )

        admin = staff(data.ADMIN, is_admin=True)
        bank = banks.create_bank(
            session, slug=data.BANK_SLUG, name=data.BANK_NAME, agency_name=data.AGENCY_NAME, actor_id=admin.id,
            opened_on=add_months(today, -data.OPENED_MONTHS_AGO),
        )
        broker = staff(data.BROKER, actor_id=admin.id)
        funder = staff(data.FUNDER, actor_id=admin.id)
        for person, role in ((broker, BankRoleName.BROKER), (funder, BankRoleName.FUNDER)):
            banks.grant_role(session, time_bank_id=bank.id, person_id=person.id, role=role, actor_id=admin.id)

        residents, people = [], {}
        for number, resident in enumerate(data.RESIDENTS):
            joined_on = _joined_on(today, data.JOINED_MONTHS_AGO[resident.name], number)
            person = members.create_person(
                session,
                display_name=resident.name,
                email=resident.email,
                password_hash=hash_password(data.DEMO_PASSWORD) if resident.login else None,
                preferred_language=Language.WELSH if resident.welsh else Language.ENGLISH,
                phone=resident.phone,
                postcode=resident.postcode,
                contact_by=resident.contact_by,
                actor_id=broker.id,
            )
            if resident.vetting is None:
                account = members.join_bank(session, person, bank.id, actor_id=broker.id)
            else:
                account = _join_vetted(session, bank, broker, person, resident, resident.vetting, today, joined_on)
            _date_back(account, joined_on)
            profiles.update_profile(session, broker, person.id, profile_update(resident))
            online = resident.email is not None
            residents.append(_Party(resident.name, account, person if online else broker, is_online=online,
                                    joined_on=joined_on, gives=resident.name not in data.RECEIVES_ONLY,
                                    receives=resident.name not in data.GIVES_ONLY))
            people[resident.name] = person

        def organisation(partner: data.Partner, kind: OrganisationType, who: data.Staff, months_ago: int) -> _Party:
            admin_person = staff(who, actor_id=broker.id)
            org = members.create_organisation(
                session, display_name=partner.name, organisation_type=kind, admin_ids=(admin_person.id,),
                actor_id=broker.id,
            )
            account = members.join_bank(session, org, bank.id, actor_id=broker.id)
            joined_on = _date_back(account, _joined_on(today, months_ago, 0))
            # What the organisation's admin fills in: contact details, what it offers, what it brings.
            members.update_organisation(session, admin_person, org.id, members.OrganisationDetails(
                display_name=partner.name, organisation_type=kind, charity_number=partner.charity_number,
                contact_email=partner.contact_email, phone=partner.phone, postcode=partner.postcode,
            ))
            profiles.update_profile(session, admin_person, org.id,
                                    profiles.ProfileUpdate(abilities=partner.abilities, about=partner.about))
            for contribution_kind, description in partner.contributions:
                profiles.add_contribution(session, admin_person, org.id, contribution_kind, description)
            return _Party(partner.name, account, admin_person, joined_on=joined_on)

        charity = organisation(data.CHARITY, OrganisationType.CHARITY, data.CHARITY_ADMIN,
                               data.PARTNERS_JOINED_MONTHS_AGO["charity"])
        council = organisation(data.COUNCIL, OrganisationType.COUNCIL, data.COUNCIL_ADMIN,
                               data.PARTNERS_JOINED_MONTHS_AGO["council"])
        return cls(bank, broker, residents, charity, council, people)


def _joined_on(today: dt.date, months_ago: int, spread: int) -> dt.date:
    """The day someone joined: ``months_ago`` months before the demo's day, a few days earlier by ``spread``
    (so that not everyone joined on the same day of the month)."""
    return add_months(today, -months_ago) - dt.timedelta(days=spread * 5 % 14)


def _date_back(account: Account, joined_on: dt.date) -> dt.date:
    """The account, opened by the services just now, dated back to the morning its holder joined."""
    account.opened_at = dt.datetime.combine(joined_on, dt.time(10, 30), tzinfo=UK)
    return joined_on


def _join_vetted(
    session: Session, bank: TimeBank, broker: Person, person: Person, resident: data.Resident,
    vetting: data.Vetting, today: dt.date, joined_on: dt.date,
) -> Account:
    """The broker takes a resident's application through interview, references and their DBS check to
    approval, which opens their account."""
    application = membership.apply(session, broker, holder_id=person.id, time_bank_id=bank.id,
                                   statement=resident.about, referees=vetting.referees)
    interviewed = joined_on - dt.timedelta(days=INTERVIEWED_DAYS_BEFORE)
    membership.record_interview(session, broker, application.id, interviewed)
    for reference in application.references:
        membership.record_reference_outcome(session, broker, application.id, reference.id,
                                            ReferenceOutcome.SATISFACTORY, interviewed + dt.timedelta(days=7))
    if vetting.ends_in_days is not None:
        issued_on = add_months(today + dt.timedelta(days=vetting.ends_in_days), -bank.dbs_renewal_months)
    else:
        issued_on = add_months(today, -vetting.issued_months_ago)
    checked = vetting.status_checked_months_ago
    safeguarding.record_dbs_check(session, broker, person.id, bank.id, safeguarding.DbsCheckInput(
        level=vetting.level, issued_on=issued_on, workforce=vetting.workforce,
        certificate_number=vetting.certificate_number, update_service=vetting.update_service,
        status_checked_on=add_months(today, -checked) if checked is not None else None,
    ))
    membership.approve(session, broker, application.id)
    return ledger.require_account_of(session, person.id, bank.id)


def _applications(session: Session, cast: _Cast, today: dt.date) -> None:
    """Community vouching on; three people who are not members yet; the broker's safeguarding notes."""
    bank, broker = cast.bank, cast.broker
    banks.update_settings(session, broker, bank.id, banks.BankSettings(
        vouching_enabled=True, vouches_needed=data.VOUCHES_NEEDED, dbs_renewal_months=bank.dbs_renewal_months,
    ))

    def sign_up(applicant: data.Applicant, password: str | None, enrolled_by: Person | None) -> Application:
        _person, application = membership.sign_up(session, membership.SignUp(
            display_name=applicant.name, email=applicant.email, password=password, phone=applicant.phone,
            postcode=applicant.postcode, contact_by=applicant.contact_by, time_bank_id=bank.id,
            preferred_language=Language.WELSH if applicant.welsh else Language.ENGLISH,
            statement=applicant.statement, referees=applicant.referees,
        ), broker=enrolled_by)
        return application

    pending = sign_up(data.PENDING_APPLICANT, data.DEMO_PASSWORD, None)
    membership.record_interview(session, broker, pending.id, today + dt.timedelta(days=data.INTERVIEW_IN_DAYS))
    membership.record_reference_outcome(session, broker, pending.id, pending.references[0].id,
                                        ReferenceOutcome.SATISFACTORY, today - dt.timedelta(days=2))

    vouched = sign_up(data.VOUCHED_APPLICANT, None, broker)
    for name in data.VOUCHERS:
        membership.vouch(session, cast.people[name], vouched.id)

    declined = sign_up(data.DECLINED_APPLICANT, None, broker)
    membership.decline(session, broker, declined.id, data.DECLINE_REASON)

    for name, body in data.SAFEGUARDING_NOTES:
        safeguarding.add_note(session, broker, cast.people[name].id, bank.id, body)


# --- the history -----------------------------------------------------------------------------------


#: Lengths of help in minutes, weighted towards an hour; nearly all in quarter hours.
AMOUNTS = (15, 20, 30, 30, 45, 45, 60, 60, 60, 60, 60, 75, 90, 90, 90, 120, 120, 120, 150, 180, 180, 240)
SESSION_AMOUNTS = (60, 90, 120, 120, 120, 150, 180, 240)


class _Year:
    def __init__(self, session: Session, cast: _Cast, today: dt.date, progress: Progress) -> None:
        self.session = session
        self.cast = cast
        self.today = today
        self.progress = progress
        self.rng = random.Random(SEED)
        self.categories = {
            code: category_id
            for code, category_id in session.execute(sa.select(Category.code, Category.id).where(Category.is_active))
        }
        self.keys = 0
        self.abilities = {resident.name: resident.abilities for resident in data.RESIDENTS}
        #: Confirmed exchanges the broker keyed for an offline member, with (giver, receiver): candidates
        #: for a correction.
        self.keyed_by_broker: list[tuple[Exchange, _Party, _Party]] = []
        self.counts: Counter[str] = Counter()

    def _days_ago(self) -> list[int]:
        """The days of the occasions, oldest first: over the history, busier towards its end (``GROWTH``)."""
        days = (self.today - add_months(self.today, -data.HISTORY_MONTHS)).days
        chosen: list[int] = []
        while len(chosen) < OCCASIONS:
            ago = self.rng.randrange(0, days)
            if self.rng.random() * (1 + GROWTH) < 1 + GROWTH * (days - ago) / days:
                chosen.append(ago)
        return sorted(chosen, reverse=True)

    @staticmethod
    def _members_on(parties: list[_Party], on: dt.date) -> list[_Party]:
        return [party for party in parties if party.joined_on <= on]

    # Each occasion is help between residents, a session with the charity or the council (which
    # gives every resident who came a credit), or a resident spending credits at the leisure centre.
    def run(self) -> None:
        carys, folake = self.cast.residents[0], self.cast.residents[1]
        for ago in self._days_ago():
            on = self.today - dt.timedelta(days=ago)
            roll = self.rng.random()
            if roll < 0.10:
                partners = self._members_on([self.cast.charity, self.cast.council], on)
                if partners:
                    self._session_with(self.rng.choice(partners), on, ago)
            elif roll < 0.15:
                self._spend(on, ago)
            else:
                self._help(on, ago)
            self.progress(1)
        self._reverse_mistakes()
        # Leave the two demo residents something to confirm, and something they wait on.
        others = [p for p in self.cast.residents[2:] if p.is_online and p.gives and p.receives]
        for n, (proposer, counterpart, giver_proposes) in enumerate(
            ((self.rng.choice(others), carys, True), (self.rng.choice(others), carys, True),
             (self.rng.choice(others), carys, False), (carys, self.rng.choice(others), True),
             (self.rng.choice(others), folake, True))
        ):
            giver, receiver = (proposer, counterpart) if giver_proposes else (counterpart, proposer)
            self._exchange(
                giver, receiver, proposer, self.today - dt.timedelta(days=n + 1), *self._help_facts(receiver),
                minutes=60, outcome=ExchangeState.PENDING,
            )
            self.progress(1)

    def _outcome(self, ago: int) -> ExchangeState:
        roll = self.rng.random()
        if ago <= PENDING_WITHIN_DAYS and roll < 0.4:
            return ExchangeState.PENDING
        if roll > 0.97:
            return ExchangeState.DECLINED
        if roll > 0.94:
            return ExchangeState.CANCELLED
        return ExchangeState.CONFIRMED

    def _help_facts(self, receiver: _Party, giver: _Party | None = None) -> tuple[int, str]:
        """A kind of help and its description: mostly what the giver can do, as in a real bank (so a few
        kinds of help carry most of the hours), now and then anything."""
        own = [code for code in self.abilities.get(giver.name, ()) if code in data.HELP] if giver else []
        code = self.rng.choice(own if own and self.rng.random() < 0.8 else sorted(data.HELP))
        template = self.rng.choice(data.HELP[code])
        return self.categories[code], template.format(them=receiver.first_name, place=self.rng.choice(data.PLACES))

    def _help(self, on: dt.date, ago: int) -> None:
        residents = self.cast.residents
        members = self._members_on(residents, on)
        givers = [party for party in members if party.gives]
        receivers = [party for party in members if party.receives]
        minutes = self.rng.choice(AMOUNTS)
        for _attempt in range(50):
            giver, receiver = self.rng.choice(givers), self.rng.choice(receivers)
            # The demo logins (first members, who both give and receive) should have a full history to look at.
            featured = self.rng.random()
            if featured < 0.08 and residents[0] is not receiver:
                giver = residents[0]
            elif featured < 0.16 and residents[0] is not giver:
                receiver = residents[0]
            elif featured < 0.22 and residents[1] not in (giver, receiver):
                giver = residents[1]
            # Members who only receive keep a few hours in hand, for what the broker introduces them to.
            if self._fits(receiver=receiver, giver=giver, minutes=minutes + (0 if receiver.gives else RESERVE)):
                break
        else:
            return
        proposer = giver if self.rng.random() < 0.7 else receiver
        category_id, description = self._help_facts(receiver, giver)
        exchange = self._exchange(giver, receiver, proposer, on, category_id, description, minutes=minutes,
                                  outcome=self._outcome(ago))
        if exchange is not None and exchange.state is ExchangeState.CONFIRMED and not proposer.is_online:
            self.keyed_by_broker.append((exchange, giver, receiver))

    def _session_with(self, organisation: _Party, on: dt.date, ago: int) -> None:
        """A group session: the organisation gives each resident who came a credit."""
        kind = "charity" if organisation is self.cast.charity else "council"
        code, description = self.rng.choice(data.VOLUNTEERING[kind])
        minutes = self.rng.choice(SESSION_AMOUNTS)
        givers = [party for party in self._members_on(self.cast.residents, on) if party.gives]
        for volunteer in self.rng.sample(givers, self.rng.randint(1, 5)):
            if self._fits(receiver=organisation, giver=volunteer, minutes=minutes):
                self._exchange(volunteer, organisation, organisation, on, self.categories[code], description,
                               minutes=minutes, outcome=self._outcome(ago))

    def _spend(self, on: dt.date, ago: int) -> None:
        """A resident with credits to spare spends an hour at the council's leisure centre."""
        council = self.cast.council
        code, description = self.rng.choice(data.SPENDING)
        savers = [party for party in self._members_on(self.cast.residents, on)
                  if party.receives and party.account.available_minutes >= 120]
        if not savers:
            return
        resident = self.rng.choice(savers)
        self._exchange(council, resident, council, on, self.categories[code], description, minutes=60,
                       outcome=self._outcome(ago))

    def _fits(self, *, receiver: _Party, giver: _Party, minutes: int) -> bool:
        if receiver is giver:
            return False
        limits = ledger.effective_limits_of(self.session, (receiver.account, giver.account))
        balances = {party.account.id: Balance.of(party.account) for party in (receiver, giver)}
        movement = Movement(receiver.account.id, giver.account.id, minutes)
        return BalanceSimulator(limits, balances).breach(movement) is None

    def _exchange(
        self,
        giver: _Party,
        receiver: _Party,
        proposer: _Party,
        on: dt.date,
        category_id: int,
        description: str,
        *,
        minutes: int,
        outcome: ExchangeState,
    ) -> Exchange | None:
        """Record an exchange through the ledger and take it to ``outcome``, as the people would."""
        counterpart = receiver if proposer is giver else giver
        self.keys += 1
        try:
            exchange, _created = ledger.record_exchange(
                self.session,
                proposer_account_id=proposer.account.id,
                counterpart_account_id=counterpart.account.id,
                proposer_is_giver=proposer is giver,
                amount_minutes=minutes,
                occurred_on=on,
                category_id=category_id,
                description=description,
                recorded_by_id=proposer.acts_for_them.id,
                idempotency_key=f"demo-{self.keys:04d}",
            )
        except (ledger_errors.ExceedsBalanceFloor, ledger_errors.ExceedsBalanceCeiling):
            return None  # a limit we did not foresee: this occasion simply did not happen
        confirmer = dict(actor_id=counterpart.acts_for_them.id, acting_for_account_id=counterpart.account.id)
        if outcome is ExchangeState.CONFIRMED:
            ledger.confirm_exchange(self.session, exchange.id, **confirmer)
        elif outcome is ExchangeState.DECLINED:
            ledger.decline_exchange(self.session, exchange.id, note=self.rng.choice(data.DECLINE_NOTES), **confirmer)
        elif outcome is ExchangeState.CANCELLED:
            ledger.cancel_exchange(self.session, exchange.id, actor_id=proposer.acts_for_them.id,
                                   acting_for_account_id=proposer.account.id)
        return exchange

    def _reverse_mistakes(self) -> None:
        """The broker corrects two exchanges keyed from paper sheets."""
        reasons = list(data.REVERSAL_REASONS)
        candidates = self.rng.sample(self.keyed_by_broker, len(self.keyed_by_broker))
        for exchange, giver, receiver in candidates:
            if not reasons:
                return
            # The hours go back: the giver pays them back to the receiver (the sides swap).
            if self._fits(receiver=giver, giver=receiver, minutes=exchange.amount_minutes):
                ledger.reverse_exchange(self.session, exchange.id, actor_id=self.cast.broker.id, reason=reasons.pop())
