"""The report's raw aggregates (``reports.queries``): each table's figures for a scope and a period, read
from the ledger's month facts and the report's own tables, with the frequency disclosure control needs."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.reports import world as worlds
from timebank.activities.models import InKindContribution, Role
from timebank.benefits.facts import Severity
from timebank.benefits.models import BenefitFlag
from timebank.dates import add_months
from timebank.feedback.models import Again, Channel, FeedbackAnswer
from timebank.ledger.models import Account
from timebank.members.models import Holder
from timebank.profiles.models import AgeBand, ContributionKind, Profile
from timebank.programmes.models import ActivityOutcome, ProgrammeOutcome, RoleOutcome
from timebank.reports import queries
from timebank.reports.figures import Period
from timebank.types import utcnow


def months_ago(today: dt.date, n: int, day: int = 10) -> dt.date:
    return add_months(today.replace(day=1), -n).replace(day=day)


def period_of(today: dt.date, first_ago: int, last_ago: int) -> Period:
    return Period(add_months(today.replace(day=1), -first_ago),
                  add_months(today.replace(day=1), 1 - last_ago) - dt.timedelta(days=1))


@pytest.fixture
def world(db_session):
    return worlds.build(db_session)


def test_hours_by_kinds_category_form_matrix_and_month_count_standing_exchanges_in_the_period(world, today):
    ann, bob, carol = world.residents[:3]
    world.exchange(ann, bob, 60, months_ago(today, 3))
    world.exchange(ann, world.charity, 30, months_ago(today, 2))
    world.exchange(ann, world.charity, 45, months_ago(today, 1), from_activity=True, category="food-growing")
    world.reverse(world.exchange(bob, ann, 20, months_ago(today, 1)))  # reversed today: after the period
    world.exchange(world.council, world.pot, 15, today)                 # after the period
    world.exchange(carol, ann, 10, months_ago(today, 4))                # before it
    session, period = world.session, period_of(today, 3, 1)
    whole = [(world.bank_id, None, None)]
    H = queries.Hours

    assert queries.kinds(session, whole, period) == [H(("resident", "resident"), 60, 1),
                                                     H(("resident", "third_sector"), 75, 2)]
    assert queries.categories(session, whole, period) == [H(("food-growing",), 45, 1), H(("gardening",), 90, 2)]
    assert queries.forms(session, whole, period) == [H(("co_delivering",), 45, 1)]
    assert queries.matrix(session, whole, period) == [H(("shared", "community"), 45, 1)]
    assert queries.months(session, whole, period) == [
        H((f"{months_ago(today, n):%Y-%m}",), minutes, 1) for n, minutes in ((3, 60), (2, 30), (1, 45))]

    # An organisation's hours are those that belong to it; an activity's are its own; overlapping scopes
    # count an hour once.
    assert queries.kinds(session, [(world.bank_id, world.charity_id, None)], period) == [
        H(("resident", "third_sector"), 30, 1)]
    assert queries.kinds(session, [(world.bank_id, world.council_id, None)], period) == [
        H(("resident", "third_sector"), 45, 1)]
    assert queries.kinds(session, [(world.bank_id, None, world.activity_id)], period) == [
        H(("resident", "third_sector"), 45, 1)]
    assert queries.kinds(session, [*whole, (world.bank_id, world.council_id, None)], period) == queries.kinds(
        session, whole, period)
    assert queries.kinds(session, [], period) == []
    # Active: ann (gave), bob and the charity (received); nobody new (every account was opened today, after
    # the period); ann (first and last month) and the charity (second and last) in both halves (the first
    # two months, the last one).
    assert queries.people(session, whole, period) == queries.People(3, 0, 2, 1, 2, 0)


def test_people_active_new_retained_giving_and_receiving(world, today):
    ann, bob, carol, dave, eve, fay = world.residents
    world.exchange(ann, bob, 60, months_ago(today, 1))
    world.exchange(ann, bob, 60, today)
    world.exchange(carol, world.charity, 30, today)
    world.exchange(dave, ann, 15, today)
    world.exchange(eve, world.pot, 30, today)
    world.reverse(world.exchange(world.pot, fay, 20, today))  # fay's only exchange: reversed, so not active

    people = queries.people(world.session, [(world.bank_id, None, None)], period_of(today, 1, 0))
    # Active: ann, bob, carol, dave, eve and the charity (never the pot); all opened in the period; ann and
    # bob in both months; ann, carol, dave and eve gave; bob, the charity and ann received; ann did both.
    assert people == queries.People(active=6, new=6, retained=2, gave=4, received=3, gave_and_received=1)
    # A one-month period retains nobody.
    assert queries.people(world.session, [(world.bank_id, None, None)], period_of(today, 0, 0)).retained == 0


def test_demographics_count_only_active_residents_who_agreed(world, today, db_session):
    ann, bob, carol, dave = world.residents[:4]
    for account, band, agreed, district in ((ann, AgeBand.FROM_25_TO_34, True, "CF10"),
                                            (bob, AgeBand.FROM_65_TO_74, True, "CF10"),
                                            (carol, AgeBand.UNDER_25, False, "SA1"),
                                            (dave, AgeBand.UNDER_25, True, "LL57")):
        db_session.add(Profile(holder_id=account.holder_id, age_band=band, in_reports_at=utcnow() if agreed else None))
        db_session.execute(sa.update(Holder).where(Holder.id == account.holder_id).values(postcode_district=district))
    db_session.flush()
    world.exchange(ann, bob, 60, today)
    world.exchange(carol, ann, 60, today)  # carol is active but did not agree; dave agreed but is not active
    scopes, period = [(world.bank_id, None, None)], period_of(today, 0, 0)

    assert queries.age_bands(db_session, scopes, period) == [queries.Counted(("25_34",), 1),
                                                             queries.Counted(("65_74",), 1)]
    assert queries.districts(db_session, scopes, period) == [queries.Counted(("CF10",), 2)]


def test_an_hour_counts_for_its_role_s_outcomes_and_its_activity_s_each_once(world, today, db_session):
    programme = worlds.programme(world, [(None, None)], outcomes=("Healthier", "Resilient", "Cohesive"))
    healthier, resilient, cohesive = db_session.scalars(
        sa.select(ProgrammeOutcome.id).where(ProgrammeOutcome.programme_id == programme.id)
        .order_by(ProgrammeOutcome.position)).all()
    other = worlds.programme(world, [(None, None)], outcomes=("Elsewhere",))
    elsewhere = db_session.scalar(sa.select(ProgrammeOutcome.id).where(ProgrammeOutcome.programme_id == other.id))
    untagged = Role(activity_id=world.activity_id, title="Helper", category_id=world.categories["other"], places=5)
    tagged_elsewhere = Role(activity_id=world.activity_id, title="Cook", category_id=world.categories["other"],
                            places=5)
    db_session.add_all([untagged, tagged_elsewhere])
    db_session.flush()
    db_session.add_all([ActivityOutcome(activity_id=world.activity_id, outcome_id=healthier),
                        ActivityOutcome(activity_id=world.activity_id, outcome_id=cohesive),
                        RoleOutcome(role_id=world.role_id, outcome_id=resilient),
                        RoleOutcome(role_id=tagged_elsewhere.id, outcome_id=elsewhere)])
    db_session.flush()
    ann, bob = world.residents[:2]
    world.exchange(ann, world.council, 60, today, from_activity=True)         # its role's and its activity's
    world.exchange(bob, world.council, 30, today, role_id=untagged.id)         # its activity's two
    world.exchange(bob, world.council, 20, today, role_id=tagged_elsewhere.id)  # its activity's two (not elsewhere)
    world.exchange(ann, bob, 500, today)                                       # no activity: no outcome

    found = queries.outcomes(db_session, [(world.bank_id, None, None)], period_of(today, 0, 0), programme.id)
    # In the order of the outcomes' ids (numbers: 9 comes before 10, as their codes' strings would not).
    assert found == sorted([queries.Hours((str(healthier),), 110, 3), queries.Hours((str(resilient),), 60, 1),
                            queries.Hours((str(cohesive),), 110, 3)], key=lambda hours: int(hours.key[0]))


def test_in_kind_answers_flags_and_introductions(world, today, db_session):
    ann, bob = world.residents[:2]
    exchange = world.exchange(ann, world.charity, 60, today)
    in_period, before = today.replace(day=1), months_ago(today, 2)
    db_session.add_all([
        InKindContribution(time_bank_id=world.bank_id, organisation_id=world.charity_id, kind=kind,
                           description="Neuadd yr eglwys", given_on=on, minutes=minutes, value_pence=pence,
                           recorded_by_id=world.broker.id)
        for kind, on, minutes, pence in ((ContributionKind.ROOM, in_period, 120, 4000),
                                         (ContributionKind.ROOM, in_period, None, 2500),
                                         (ContributionKind.ROOM, before, 60, 999),
                                         (ContributionKind.FUNDS, in_period, None, 50000))])
    answers = [(ann, 5, Again.YES), (bob, 5, Again.YES), (world.residents[2], 4, None),
               (world.residents[3], None, Again.NO)]
    db_session.add_all([
        FeedbackAnswer(time_bank_id=world.bank_id, organisation_id=world.charity_id, exchange_id=exchange.id,
                       person_id=account.holder_id, how_it_went=how, again=again, comment="Fy nghyfrinach i",
                       channel=Channel.PAGE, answered_on=today) for account, how, again in answers])
    db_session.add_all([
        BenefitFlag(person_id=account.holder_id, time_bank_id=world.bank_id, rule_id=rule, key=f"{rule}-{n}",
                    severity=severity, window_start=today, window_end=today, evidence={})
        for n, (account, rule, severity) in enumerate([(ann, "TB-01", Severity.HIGH), (bob, "TB-01", Severity.HIGH),
                                                       (ann, "TB-03", Severity.LOW)])])
    db_session.flush()
    whole, charity = [(world.bank_id, None, None)], [(world.bank_id, world.charity_id, None)]
    period = period_of(today, 0, 0)

    assert queries.in_kind(db_session, charity, period) == [queries.InKind("funds", 1, 0, 50000),
                                                            queries.InKind("room", 2, 120, 6500)]
    assert queries.in_kind(db_session, [(world.bank_id, world.council_id, None)], period) == []
    assert queries.answers_how(db_session, charity, period) == [queries.Counted(("4",), 1),
                                                               queries.Counted(("5",), 2)]
    assert queries.answers_again(db_session, whole, period) == [queries.Counted(("no",), 1),
                                                               queries.Counted(("yes",), 2)]
    assert queries.benefit_flags(db_session, whole, period) == [queries.Counted(("TB-01", "high"), 2),
                                                               queries.Counted(("TB-03", "low"), 1)]
    assert queries.benefit_flags(db_session, charity, period) == []  # flags are a whole bank's only
    assert queries.introductions(db_session, whole, period) == queries.Introductions(0, 0, 0, 0)
    assert queries.whole_banks(charity) == []


def test_the_community_pot_is_never_a_member(world, today, db_session):
    pot = db_session.get(Account, world.pot.id)
    world.exchange(world.residents[0], pot, 30, today)
    assert queries.people(db_session, [(world.bank_id, None, None)], period_of(today, 0, 0)).active == 1
