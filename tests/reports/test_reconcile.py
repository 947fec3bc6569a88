"""A report's figures reconcile with the ledger: every total recomputed from postings (per exchange that
happened in the period, its giver's posting plus the postings of any reversal naming it, whenever that
was) equals the report's, through disclosure control; small cells are hidden end to end."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports import world as worlds
from tests.reports.test_queries import months_ago, period_of
from tests.support import examples
from timebank.activities.models import Activity
from timebank.benefits.facts import Severity
from timebank.benefits.models import BenefitFlag
from timebank.categories.models import Category
from timebank.ledger.models import Account, Exchange, ExchangeKind, HolderKind, Posting
from timebank.programmes.models import ActivityOutcome, ProgrammeOutcome
from timebank.reports import compute, queries
from timebank.reports.figures import Audience, Figure, Hidden, Period


def from_postings(session, bank_id: int, period: Period) -> dict[str, dict[str, Counter]]:
    """Minutes by kinds, category, month, form and matrix cell, the exchanges behind them, and the accounts
    that gave and received, from postings alone."""
    kinds = dict(session.execute(sa.select(Account.id, Account.holder_kind)
                                 .where(Account.time_bank_id == bank_id)).all())
    codes = dict(session.execute(sa.select(Category.id, Category.code)).all())
    minutes: dict[str, Counter] = defaultdict(Counter)
    exchanges: dict[str, Counter] = defaultdict(Counter)
    sides: dict[str, Counter] = defaultdict(Counter)
    for exchange in session.scalars(sa.select(Exchange).where(
            Exchange.time_bank_id == bank_id, Exchange.kind == ExchangeKind.EXCHANGE,
            Exchange.occurred_on.between(period.first, period.last))):
        reversals = sa.select(Exchange.id).where(Exchange.reverses_exchange_id == exchange.id)
        net = session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Posting.amount_minutes), 0)).where(
            Posting.account_id == exchange.giver_account_id,
            sa.or_(Posting.exchange_id == exchange.id, Posting.exchange_id.in_(reversals))))
        if not net:
            continue
        keys = [("kinds", (kinds[exchange.giver_account_id], kinds[exchange.receiver_account_id])),
                ("categories", (codes[exchange.category_id],)), ("months", (f"{exchange.occurred_on:%Y-%m}",))]
        if exchange.activity_id:
            activity = session.get(Activity, exchange.activity_id)
            keys += [("forms", (activity.form,)), ("matrix", (activity.designed_by, activity.delivered_by))]
        for table, key in keys:
            minutes[table][key] += net
            exchanges[table][key] += 1
        for side, account in (("gave", exchange.giver_account_id), ("received", exchange.receiver_account_id)):
            if kinds[account] is not HolderKind.COMMUNITY_POT:
                sides[side][account] += 1
    return {"minutes": minutes, "exchanges": exchanges, "sides": sides}


def assert_report_agrees(report, derived, table_key):
    table = report.table(table_key)
    minutes, exchanges = derived["minutes"][table_key], derived["exchanges"][table_key]
    if table_key in ("kinds", "matrix"):
        figures = {(row, column): table.cell(row, column) for row in table.rows for column in table.columns}
    else:
        figures = {(row,): table.cell(row, "minutes") for row in table.rows}
    assert set(minutes) <= set(figures)
    for key, figure in figures.items():
        if figure.value is not None:
            assert figure.value == minutes.get(key, 0), (table_key, key)
        else:
            assert figure.hidden is Hidden.SECONDARY or 0 < exchanges[key] < report.suppress_below, (table_key, key)
    if table.total is not None and table.total.value is not None:
        assert table.total.value == sum(minutes.values())


def test_periods_are_whole_months_with_the_same_number_before():
    assert compute.periods(dt.date(2026, 1, 15), dt.date(2026, 3, 2)) == (
        Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31)), Period(dt.date(2025, 10, 1), dt.date(2025, 12, 31)))
    assert compute.periods(dt.date(2024, 2, 1), dt.date(2024, 2, 1)) == (
        Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29)), Period(dt.date(2024, 1, 1), dt.date(2024, 1, 31)))
    assert compute.social_value_pence(90, 1221) == 1832  # 1831.5 rounded half up


#: (giver, receiver, minutes, months ago, category, from the activity) or ("reverse", which exchange).
steps = st.lists(st.one_of(
    st.tuples(st.integers(0, worlds.RESIDENTS + 2), st.integers(0, worlds.RESIDENTS + 2), st.integers(1, 120),
              st.integers(0, 6), st.sampled_from(["gardening", "food-growing", "other"]), st.booleans()),
    st.tuples(st.just("reverse"), st.integers(0, 40)),
), min_size=1, max_size=40)


@settings(max_examples=examples(0.3), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_any_small_ledger_s_report_totals_equal_the_postings(db_session, today, steps):
    savepoint = db_session.begin_nested()
    try:
        world = worlds.build(db_session)
        world.play(steps, lambda ago: months_ago(today, ago) if ago else today)
        period = period_of(today, 3, 1)  # reversals (today) cross its edge
        derived = from_postings(db_session, world.bank_id, period)
        whole = [(world.bank_id, None, None)]
        for table_key, query in (("kinds", queries.kinds), ("categories", queries.categories),
                                 ("months", queries.months), ("forms", queries.forms), ("matrix", queries.matrix)):
            found = query(db_session, whole, period)
            assert {row.key: row.minutes for row in found} == dict(derived["minutes"][table_key])
            assert {row.key: row.exchanges for row in found} == dict(derived["exchanges"][table_key])
        gave, received = set(derived["sides"]["gave"]), set(derived["sides"]["received"])
        assert queries.people(db_session, whole, period)._replace(new=0, retained=0) == queries.People(
            len(gave | received), 0, 0, len(gave), len(received), len(gave & received))
        report = compute.bank_report(db_session, world.bank_id, period)
        for table_key in ("kinds", "categories", "months", "forms", "matrix"):
            assert_report_agrees(report, derived, table_key)
        previous = from_postings(db_session, world.bank_id, report.previous_period)
        assert {row.key: row.minutes for row in queries.kinds(db_session, whole, report.previous_period)} == dict(
            previous["minutes"]["kinds"])
    finally:
        savepoint.rollback()
        db_session.expire_all()


def test_small_cells_are_hidden_and_no_total_gives_them_away(db_session, today):
    world = worlds.build(db_session)
    ann, bob, carol = world.residents[:3]
    for n in range(6):  # six exchanges between residents: shown
        world.exchange(ann, bob, 30, months_ago(today, 1, 1 + n))
    world.exchange(carol, world.charity, 60, months_ago(today, 1))  # one exchange to a charity: hidden
    report = compute.bank_report(db_session, world.bank_id, period_of(today, 1, 1))

    people = report.table("people")
    active = people.cell("active", "people")
    assert active.value is None and active.hidden is Hidden.PRIMARY  # four people: fewer than 5
    assert report.table("reciprocity").cells[0][0].value is None
    kinds = report.table("kinds")
    assert kinds.cell("resident", "third_sector").hidden is Hidden.PRIMARY
    # No row or column with a shown total has a single hidden figure (it would be its total less the others),
    # and the social value follows the total.
    lines = [(row, total) for row, total in zip(kinds.cells, kinds.row_totals, strict=True)]
    lines += [(column, total) for column, total in zip(zip(*kinds.cells, strict=True), kinds.column_totals,
                                                       strict=True)]
    lines += [(kinds.row_totals, kinds.total), (kinds.column_totals, kinds.total)]
    assert all(sum(figure.value is None for figure in line) != 1 for line, total in lines if total.value is not None)
    assert (report.social_value.estimate_pence.value is None) == (kinds.total.value is None)
    # The previous period, when nothing happened, compares with 0: a zero nobody made hides nothing.
    assert kinds.previous.cell("resident", "third_sector") == Figure(0)
    assert kinds.previous.total == Figure(0)


def test_a_programme_s_report_covers_its_scopes_outcomes_and_value(db_session, today):
    world = worlds.build(db_session)
    programme = worlds.programme(world, [(world.council_id, None)], outcomes=("Healthier Wales",),
                                 value_per_hour_pence=1221)
    outcome = db_session.scalar(sa.select(ProgrammeOutcome.id).where(ProgrammeOutcome.programme_id == programme.id))
    db_session.add(ActivityOutcome(activity_id=world.activity_id, outcome_id=outcome))
    for account in world.residents:
        world.exchange(account, world.council, 45, months_ago(today, 1), from_activity=True)
    world.exchange(world.residents[0], world.charity, 600, months_ago(today, 1))  # not the council's
    db_session.add(BenefitFlag(person_id=world.residents[0].holder_id, time_bank_id=world.bank_id, rule_id="TB-01",
                               key="k", severity=Severity.HIGH, window_start=today, window_end=today, evidence={}))
    db_session.flush()
    period = period_of(today, 1, 1)

    report = compute.programme_report(db_session, programme, period, Audience.FUNDER)
    assert report.subject == f"programme:{programme.id}" and report.suppress_below == 5
    assert report.table("kinds").total.value == 6 * 45
    assert report.table("outcomes").rows == (str(outcome),)
    assert report.table("outcomes").cell(str(outcome), "minutes").value == 6 * 45
    assert report.table("forms").cell("co_delivering", "minutes").value == 6 * 45
    assert report.table("people").cell("active", "people").value == 7  # six residents and the council
    assert report.social_value.estimate_pence.value == compute.social_value_pence(270, 1221) == 5495
    keys = {table.key for table in report.tables}
    # Introductions and flags are a whole bank's only.
    assert "flags" not in keys and "introductions" not in keys
    assert {"kinds", "categories", "forms", "matrix", "outcomes", "months", "people", "reciprocity", "in_kind",
            "answers_how", "answers_again", "age_bands"} <= keys

    bank = compute.bank_report(db_session, world.bank_id, period_of(today, 0, 0), Audience.BROKER)
    assert {"flags", "introductions"} <= {table.key for table in bank.tables}
    assert bank.table("flags").cell("TB-01", "high").hidden is Hidden.PRIMARY
    organisation = compute.organisation_report(db_session, world.council_id, world.bank_id, period)
    assert "flags" not in {table.key for table in organisation.tables}
    assert organisation.table("kinds").total.value == 6 * 45


@pytest.mark.parametrize("months", [1, 12])
def test_every_table_has_the_same_rows_in_both_periods(db_session, today, months):
    world = worlds.build(db_session)
    world.exchange(world.residents[0], world.residents[1], 60, months_ago(today, 14))
    report = compute.bank_report(db_session, world.bank_id, period_of(today, months, 1))
    for table in report.tables:
        assert table.previous is not None and len(table.previous.rows) == len(table.rows), table.key
        if table.key != "months":
            assert table.previous.rows == table.rows, table.key
    assert len(report.table("months").rows) == months
