"""Properties every rule keeps, on evidence Hypothesis makes up: it never raises, whatever the profile; a
member without the benefits a rule concerns gets nothing from it (unless it is a check for everyone); what
it finds ends in the span, under keys of its own, resting on records it reads; evidence of a kind it does
not read changes nothing; and a later, longer span finds again every key the shorter one found."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.benefits.test_rules import role
from tests.support import examples
from timebank.benefits.facts import (
    Benefit,
    Booking,
    Counterparty,
    Evidence,
    ExpensePaid,
    Given,
    Jurisdiction,
    PaymentReceived,
    Profile,
    Redeemed,
    Relationship,
    Severity,
    UcWorkGroup,
)
from timebank.benefits.figures import figure_book
from timebank.benefits.rulebook import Context, Reference
from timebank.benefits.rules import PARAM_READERS, RULES
from timebank.receipts import RedeemedFor

DAY = dt.timedelta(days=1)
#: Every rule's lookback fits in this, so the evidence reaches back far enough for any of them.
REACH = max(rule.lookback_days for rule in RULES) + 1
ROLES = [role(1, Counterparty.PUBLIC_BODY, activity_id=11), role(2, Counterparty.BUSINESS, away_overnight=True),
         role(3, Counterparty.REGISTERED_CHARITY, normally_paid=True, release_notice_hours=72, activity_id=13)]

days = st.dates(min_value=dt.date(2024, 3, 1), max_value=dt.date(2027, 6, 30))
profiles = st.builds(
    Profile,
    benefits=st.frozensets(st.sampled_from(Benefit)),
    jurisdiction=st.sampled_from(Jurisdiction),
    uc_work_group=st.none() | st.sampled_from(UcWorkGroup),
    uc_expected_hours=st.none() | st.integers(0, 60),
    agreed_voluntary_hours=st.none() | st.integers(0, 40),
    couple=st.booleans(),
    last_told_on=st.none() | days,
    benefit_week_starts=st.integers(0, 6),
    uc_assessment_day=st.none() | st.integers(1, 31),
)


def near(start: dt.date) -> st.SearchStrategy[dt.date]:
    """A day around the span: anywhere the rules look, or bunched near its start (patterns need a busy month)."""
    return (st.integers(-REACH, 45) | st.integers(-10, 10)).map(lambda offset: start + offset * DAY)


def givens(start):
    return st.builds(
        Given, exchange_id=st.just(0), occurred_on=near(start), minutes=st.integers(1, 16 * 60),
        counterpart_holder_id=st.none() | st.integers(1, 6), counterpart_name=st.just("Someone"),
        counterparty=st.sampled_from(Counterparty), category_code=st.sampled_from(["diy", "gardening"]),
        role=st.none() | st.sampled_from(ROLES), activity_session_id=st.none() | st.integers(1, 8),
        relationship=st.sampled_from(Relationship),
    )


def payments(start):
    return st.builds(PaymentReceived, payment_id=st.just(0), paid_on=near(start), organisation_name=st.just("Org"),
                     kind=st.sampled_from(["fee", "gift", "voucher"]), amount_pence=st.integers(1, 40_000),
                     service_user_involvement=st.booleans(), activity_id=st.none() | st.sampled_from([11, 13]))


def expenses(start):
    def build(paid_on, paid, receipted, receipts, flat, miles):
        kind = "mileage" if miles else "travel"
        return ExpensePaid(expense_id=0, paid_on=paid_on, organisation_name="Org", kind=kind, amount_paid_pence=paid,
                           amount_receipted_pence=receipted, receipts_count=receipts,
                           miles_tenths=miles[0] if miles else None, rate_per_mile_pence=miles[1] if miles else None,
                           flat_rate=flat)

    return st.builds(build, near(start), st.integers(0, 20_000), st.integers(0, 20_000), st.integers(0, 3),
                     st.booleans(), st.none() | st.tuples(st.integers(1, 60_000), st.integers(0, 80)))


def redemptions(start):
    return st.builds(Redeemed, redemption_id=st.just(0), occurred_on=near(start), credit_minutes=st.integers(1, 600),
                     redeemed_for=st.sampled_from(RedeemedFor), item=st.just("Item"),
                     face_value_pence=st.none() | st.integers(0, 5000), partner_name=st.just("Partner"))


def bookings(start):
    return st.builds(lambda starts, length, chosen: Booking(0, 1, starts, starts + length * DAY, chosen),
                     near(start), st.integers(0, 5), st.sampled_from(ROLES))


def numbered(records, field):
    return tuple(replace(record, **{field: number}) for number, record in enumerate(records, start=1))


@st.composite
def cases(draw):
    start = draw(days)
    end = start + draw(st.integers(0, 40)) * DAY
    evidence = Evidence(
        start=start - REACH * DAY, end=end + 45 * DAY,
        given=numbered(draw(st.lists(givens(start), max_size=20)), "exchange_id"),
        redeemed=numbered(draw(st.lists(redemptions(start), max_size=3)), "redemption_id"),
        expenses=numbered(draw(st.lists(expenses(start), max_size=4)), "expense_id"),
        payments=numbered(draw(st.lists(payments(start), max_size=5)), "payment_id"),
        bookings=numbered(draw(st.lists(bookings(start), max_size=3)), "sign_up_id"),
        earlier_organisations=draw(st.frozensets(st.integers(1, 6))),
    )
    return Context(draw(profiles), evidence, figure_book(), start, end)


FIELDS = {Reference.EXCHANGE: ("given", "exchange_id"), Reference.REDEMPTION: ("redeemed", "redemption_id"),
          Reference.EXPENSE: ("expenses", "expense_id"), Reference.PAYMENT: ("payments", "payment_id"),
          Reference.SIGN_UP: ("bookings", "sign_up_id")}
RUN = settings(max_examples=examples(1), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RUN
@given(cases())
def test_what_a_rule_finds_ends_in_the_span_under_its_own_keys_on_records_it_reads(ctx):
    for rule in RULES:
        found = rule.evaluate(ctx)
        if not rule.for_everyone and not ctx.profile.has_any(rule.benefits):
            assert found == [], rule.id
        assert len({f.key for f in found}) == len(found), rule.id
        for finding in found:
            assert finding.rule_id == rule.id and isinstance(finding.severity, Severity)
            assert finding.window_start <= finding.window_end
            dated = finding.key.startswith(("sign_up:", "redemption:", "expense:", "payment:", "exchange:"))
            assert ctx.in_span(finding.window_start if dated else finding.window_end), (rule.id, finding)
            for kind, record_id in finding.references:
                assert kind in rule.reads, (rule.id, kind)
                records, field = FIELDS[kind]
                assert record_id in {getattr(r, field) for r in getattr(ctx.evidence, records)}
            for figure in finding.thresholds:
                assert figure.tax_year and figure.source
            # Every placeholder of both messages is filled (the engine adds the member's name).
            params = {**finding.params, "member": "Ann"}
            assert str(rule.broker_text) % params and str(rule.member_text) % params


@RUN
@given(cases())
def test_params_stored_as_json_read_the_same_again(ctx):
    for rule in RULES:
        for finding in rule.evaluate(ctx):
            stored = json.loads(json.dumps(dict(finding.params), default=dt.date.isoformat))
            for name, reader in PARAM_READERS.items():
                if name in stored:
                    assert str(reader(stored[name])) == str(finding.params[name]), (rule.id, name)


@RUN
@given(cases(), cases())
def test_evidence_of_a_kind_a_rule_does_not_read_changes_nothing(ctx, other):
    for rule in RULES:
        unread = {records: getattr(other.evidence, records)
                  for kind, (records, _) in FIELDS.items() if kind not in rule.reads}
        more = replace(ctx, evidence=replace(ctx.evidence, **{
            records: getattr(ctx.evidence, records) + tuple(
                replace(r, **{FIELDS_BY_RECORDS[records]: getattr(r, FIELDS_BY_RECORDS[records]) + 1000})
                for r in added)
            for records, added in unread.items()}))
        assert rule.evaluate(more) == rule.evaluate(ctx), rule.id


FIELDS_BY_RECORDS = dict(FIELDS.values())


@RUN
@given(cases())
def test_only_the_organisations_in_the_evidence_are_asked_about_before_it(ctx):
    """The loader asks "gave time to before?" only of the organisations the evidence holds: the rules find
    the same as with every organisation ever given to."""
    held = {g.counterpart_holder_id for g in ctx.evidence.given if g.counterparty is not Counterparty.RESIDENT}
    fewer = replace(ctx, evidence=replace(ctx.evidence,
                                          earlier_organisations=ctx.evidence.earlier_organisations & held))
    for rule in RULES:
        assert rule.evaluate(fewer) == rule.evaluate(ctx), rule.id


class EveryDay:
    """The packaged figures without their dates of change, so that pattern rules ask about every day."""

    def get(self, name, on):
        return figure_book().get(name, on)


@RUN
@given(cases())
def test_asking_only_the_days_before_a_change_finds_what_asking_every_day_finds(ctx):
    for rule in RULES:
        assert rule.evaluate(ctx) == rule.evaluate(replace(ctx, figures=EveryDay())), rule.id


@RUN
@given(cases(), st.integers(1, 60))
def test_a_later_span_finds_every_key_again(ctx, days_later):
    longer = replace(ctx, span_end=ctx.span_end + days_later * DAY)
    for rule in RULES:
        assert {f.key for f in rule.evaluate(ctx)} <= {f.key for f in rule.evaluate(longer)}, rule.id
