"""The fifteen benefit rules as worked examples: each threshold just below, at and just above, on evidence
written out by hand and the packaged figures. Pure Python: no database, no app.

Dates are chosen for the figures they fall under: 2 June 2025 is a Monday in 2025/26; 6 April 2026 (a
Monday) starts 2026/27, when HMRC's mileage rate is reported to rise to 55p (unverified), the Carer's
Allowance limit to £204 and, for assessment periods starting from 13 April, UC's work allowances."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from timebank.benefits.facts import (
    Benefit,
    Booking,
    Counterparty,
    Evidence,
    ExpensePaid,
    Given,
    PaymentReceived,
    Profile,
    Redeemed,
    Relationship,
    RoleFacts,
    Severity,
    UcWorkGroup,
)
from timebank.benefits.figures import figure_book
from timebank.benefits.rulebook import Context, Figure, Finding, Reference
from timebank.benefits.rules import RULES, RULES_BY_ID
from timebank.receipts import RedeemedFor

D = dt.date
DAY = dt.timedelta(days=1)
JUNE = D(2025, 6, 2)  # a Monday in 2025/26
HOUR = 60


# --- evidence written by hand ----------------------------------------------------------------------------


def profile(*benefits: Benefit, **fields) -> Profile:
    return Profile(benefits=frozenset(benefits), **fields)


def role(role_id: int = 7, counterparty: Counterparty = Counterparty.PUBLIC_BODY, **fields) -> RoleFacts:
    fields.setdefault("activity_id", 70 + role_id)
    return RoleFacts(role_id=role_id, title="Library helper", organisation_id=300 + role_id,
                     organisation_name="Hollinbridge Council", counterparty=counterparty, **fields)


def given(exchange_id: int, day: dt.date, minutes: int = HOUR, *, holder: int = 500,
          counterparty: Counterparty = Counterparty.RESIDENT, category: str = "gardening",
          role: RoleFacts | None = None, session: int | None = None,
          relationship: Relationship = Relationship.NONE) -> Given:
    if role is not None:
        holder, counterparty = role.organisation_id, role.counterparty
    return Given(exchange_id=exchange_id, occurred_on=day, minutes=minutes, counterpart_holder_id=holder,
                 counterpart_name=f"Holder {holder}", counterparty=counterparty, category_code=category, role=role,
                 activity_session_id=session, relationship=relationship)


def payment(payment_id: int, day: dt.date, pence: int, *, activity: int | None = None, kind: str = "fee",
            service_user: bool = False) -> PaymentReceived:
    return PaymentReceived(payment_id=payment_id, paid_on=day, organisation_name="Hollinbridge Council", kind=kind,
                           amount_pence=pence, service_user_involvement=service_user, activity_id=activity)


def expense(expense_id: int, day: dt.date, paid: int, receipted: int, *, receipts: int = 1, kind: str = "travel",
            miles_tenths: int | None = None, rate: int | None = None, flat_rate: bool = False) -> ExpensePaid:
    return ExpensePaid(expense_id=expense_id, paid_on=day, organisation_name="Riverside Trust", kind=kind,
                       amount_paid_pence=paid, amount_receipted_pence=receipted, receipts_count=receipts,
                       miles_tenths=miles_tenths, rate_per_mile_pence=rate, flat_rate=flat_rate)


def mileage(expense_id: int, day: dt.date, miles: int, rate: int) -> ExpensePaid:
    return expense(expense_id, day, miles * rate, 0, receipts=0, kind="mileage", miles_tenths=miles * 10, rate=rate)


def redeemed(redemption_id: int, day: dt.date, redeemed_for: RedeemedFor, face: int | None = None) -> Redeemed:
    return Redeemed(redemption_id=redemption_id, occurred_on=day, credit_minutes=2 * HOUR, redeemed_for=redeemed_for,
                    item="Gift card", face_value_pence=face, partner_name="Market Café")


def booking(sign_up_id: int, starts: dt.date, ends: dt.date, role: RoleFacts) -> Booking:
    return Booking(sign_up_id=sign_up_id, activity_session_id=900 + sign_up_id, starts_on=starts, ends_on=ends,
                   role=role)


class Override:
    """The packaged figures with some values changed (for a heuristic's edges, or a file that lacks one)."""

    def __init__(self, **values: str) -> None:
        self.values = {name: Decimal(value) for name, value in values.items()}

    def get(self, name: str, on: dt.date) -> Figure:
        figure = figure_book().get(name, on)
        return replace(figure, value=self.values[name]) if name in self.values else figure


def context(prof: Profile, span: tuple[dt.date, dt.date], *, figures=None, earlier=frozenset(), **records) -> Context:
    start, end = span
    evidence = Evidence(start=start - 120 * DAY, end=end, earlier_organisations=frozenset(earlier),
                        **{kind: tuple(items) for kind, items in records.items()})
    return Context(profile=prof, evidence=evidence, figures=figures or figure_book(), span_start=start, span_end=end)


def run(rule_id: str, ctx: Context) -> list[Finding]:
    return RULES_BY_ID[rule_id].evaluate(ctx)


def severities(rule_id: str, ctx: Context) -> list[Severity]:
    return [finding.severity for finding in run(rule_id, ctx)]


def week(start: dt.date = JUNE) -> tuple[dt.date, dt.date]:
    return start, start + 6 * DAY


EVERYONE = profile(*Benefit)
NOBODY = profile()


# --- the rule set --------------------------------------------------------------------------------------


def test_fifteen_rules_in_order_each_with_its_own_module():
    assert [rule.id for rule in RULES] == [f"TB-{n:02d}" for n in range(1, 16)]
    assert set(RULES_BY_ID) == {rule.id for rule in RULES}
    assert [rule.id for rule in RULES if rule.for_everyone] == ["TB-01", "TB-03"]
    assert RULES_BY_ID["TB-01"].benefits == RULES_BY_ID["TB-03"].benefits == frozenset(Benefit)
    for rule in RULES:
        assert rule.evaluate.__module__ == f"timebank.benefits.rules.tb{rule.id[3:]}"
        assert rule.lookback_days >= 0 and rule.reads


# --- TB-01 credits turned into cash ----------------------------------------------------------------------


def test_tb01_any_cash_like_redemption_is_high_for_every_member():
    records = [redeemed(1, JUNE, RedeemedFor.GIFT_CARD, 0), redeemed(2, JUNE, RedeemedFor.CASH, 2500),
               redeemed(3, JUNE, RedeemedFor.VOUCHER_FIXED_VALUE, None), redeemed(4, JUNE, RedeemedFor.GOODS, 900),
               redeemed(5, JUNE, RedeemedFor.TIME_EXCHANGE), redeemed(6, JUNE - DAY, RedeemedFor.CASH, 100)]
    found = run("TB-01", context(NOBODY, week(), redeemed=records))
    assert [(f.key, f.severity) for f in found] == [
        ("redemption:1", Severity.HIGH), ("redemption:2", Severity.HIGH), ("redemption:3", Severity.HIGH)]
    assert found[1].references == ((Reference.REDEMPTION, 2),)
    assert found[1].params["value"] == "£25.00" and found[1].computed["credits_hours"] == "2"
    assert found[0].thresholds[0].name == "tb01_min_value_gbp"


def test_tb01_edges_of_a_minimum_face_value():
    figures = Override(tb01_min_value_gbp="5.00")
    records = [redeemed(1, JUNE, RedeemedFor.CASH, 499), redeemed(2, JUNE, RedeemedFor.CASH, 500),
               redeemed(3, JUNE, RedeemedFor.CASH, 501)]
    found = run("TB-01", context(NOBODY, week(), figures=figures, redeemed=records))
    assert [f.key for f in found] == ["redemption:2", "redemption:3"]


# --- TB-02 goods ---------------------------------------------------------------------------------------


def test_tb02_goods_are_medium_and_time_based_activities_only_when_switched_on():
    records = [redeemed(1, JUNE, RedeemedFor.GOODS), redeemed(2, JUNE, RedeemedFor.TIME_BASED_ACTIVITY)]
    member = profile(Benefit.UC)
    assert [(f.key, f.severity) for f in run("TB-02", context(member, week(), redeemed=records))] == [
        ("redemption:1", Severity.MEDIUM)]
    switched = context(member, week(), redeemed=records, figures=Override(tb02_flag_time_based_activity="1"))
    assert severities("TB-02", switched) == [Severity.MEDIUM, Severity.INFO]
    assert run("TB-02", context(profile(Benefit.PIP), week(), redeemed=records)) == []


# --- TB-03 expenses --------------------------------------------------------------------------------------


def test_tb03_paid_above_receipts_edges_of_the_tolerance_and_of_medium():
    records = [expense(1, JUNE, 1049, 1000), expense(2, JUNE, 1050, 1000), expense(3, JUNE, 1051, 1000),
               expense(4, JUNE, 1499, 1000), expense(5, JUNE, 1500, 1000), expense(6, JUNE, 1501, 1000)]
    found = {f.key: f for f in run("TB-03", context(NOBODY, week(), expenses=records))}
    assert {key: f.severity for key, f in found.items()} == {
        "expense:3": Severity.MEDIUM, "expense:4": Severity.MEDIUM, "expense:5": Severity.HIGH,
        "expense:6": Severity.HIGH}
    assert found["expense:5"].computed["excess"] == "£5.00"
    assert found["expense:3"].params["reasons"] == ("above_receipts",)
    assert str(found["expense:3"].params["reasons"]) == "paid more than the receipts"
    assert {f.name for f in found["expense:3"].thresholds} >= {"tb03_tolerance_gbp", "tb03_medium_below_gbp"}


def test_tb03_flat_rate_and_no_receipt():
    records = [expense(1, JUNE, 1000, 1000, flat_rate=True), expense(2, JUNE, 1, 0, receipts=0),
               expense(3, JUNE, 0, 0, receipts=0), expense(4, JUNE, 800, 0, receipts=0)]
    found = {f.key: f for f in run("TB-03", context(NOBODY, week(), expenses=records))}
    assert set(found) == {"expense:1", "expense:2", "expense:4"}
    assert found["expense:1"].params["reasons"] == ("flat_rate",) and found["expense:1"].severity == Severity.MEDIUM
    assert found["expense:2"].params["reasons"] == ("no_receipt",)
    assert found["expense:4"].params["reasons"] == ("above_receipts", "no_receipt")
    assert found["expense:4"].severity == Severity.HIGH


def test_tb03_mileage_against_the_approved_rate_of_each_tax_year():
    records = [mileage(1, JUNE, 100, 44), mileage(2, JUNE, 100, 45), mileage(3, JUNE, 100, 46)]
    found = run("TB-03", context(NOBODY, week(), expenses=records))
    assert [(f.key, f.params["reasons"], f.severity) for f in found] == [
        ("expense:3", ("mileage_rate",), Severity.MEDIUM)]
    first = next(f for f in found[0].thresholds if f.name == "hmrc_amap_first_10000_miles")
    assert (first.value, first.tax_year, first.verified) == (Decimal("0.45"), "2025/26", True)

    # The same 50p a mile: above 45p in 2025/26, within the 55p reported (unverified) for 2026/27.
    june_2026 = D(2026, 6, 1)
    assert [f.key for f in run("TB-03", context(NOBODY, week(JUNE), expenses=[mileage(1, JUNE, 100, 50)]))] == [
        "expense:1"]
    later = context(NOBODY, week(june_2026), expenses=[mileage(1, june_2026, 100, 55), mileage(2, june_2026, 100, 56)])
    found = run("TB-03", later)
    assert [f.key for f in found] == ["expense:2"]
    first = next(f for f in found[0].thresholds if f.name == "hmrc_amap_first_10000_miles")
    assert (first.value, first.tax_year, first.verified) == (Decimal("0.55"), "2026/27", False)


def test_tb03_mileage_past_10000_miles_in_the_tax_year_across_organisations():
    earlier = [mileage(1, D(2025, 4, 20), 5000, 45), mileage(2, D(2025, 5, 10), 4950, 45)]
    claim = mileage(3, JUNE, 100, 45)  # 50 miles at 45p, then 50 at 25p: £35.00 allowed, £45.00 paid
    found = run("TB-03", context(NOBODY, week(), expenses=[*earlier, claim]))
    assert [(f.key, f.computed["allowed"], f.computed["excess"], f.severity) for f in found] == [
        ("expense:3", "£35.00", "£10.00", Severity.HIGH)]
    # The tax year's miles start again on 6 April.
    assert run("TB-03", context(NOBODY, week(D(2026, 4, 6)),
                                expenses=[*earlier, mileage(3, D(2026, 4, 6), 100, 45)])) == []


def test_tb03_a_benefit_week_spanning_6_april_reads_each_days_rate():
    # A Friday-to-Thursday week: 50p a mile on Sunday 5 April is above 45p; on Monday 6 April, within 55p.
    member = profile(Benefit.CA, benefit_week_starts=4)
    records = [mileage(1, D(2026, 4, 5), 100, 50), mileage(2, D(2026, 4, 6), 100, 50)]
    found = run("TB-03", context(member, (D(2026, 4, 3), D(2026, 4, 9)), expenses=records))
    assert [f.key for f in found] == ["expense:1"]


# --- TB-04 payments ----------------------------------------------------------------------------------------


def test_tb04_any_payment_is_high_and_service_user_involvement_is_noted():
    records = [payment(1, JUNE, 1), payment(2, JUNE, 5000, kind="honorarium", service_user=True)]
    found = run("TB-04", context(profile(Benefit.UC), week(), payments=records))
    assert [(f.key, f.severity) for f in found] == [("payment:1", Severity.HIGH), ("payment:2", Severity.HIGH)]
    assert found[1].params["service_user_involvement"] is True
    assert str(found[1].params["kind"]) == "honorarium" and str(found[1].params["benefits"]) == "Universal Credit"
    assert run("TB-04", context(NOBODY, week(), payments=records)) == []


# --- TB-05 ESA permitted work ------------------------------------------------------------------------------


def esa_week(*records: PaymentReceived, start: dt.date = JUNE, **more) -> list[Finding]:
    return run("TB-05", context(profile(Benefit.NS_ESA), week(start), payments=records, **more))


def test_tb05_a_weeks_payments_against_the_lower_and_higher_limits():
    assert esa_week(payment(1, JUNE, 2000)) == []
    assert [f.severity for f in esa_week(payment(1, JUNE, 2001))] == [Severity.MEDIUM]
    assert [f.severity for f in esa_week(payment(1, JUNE, 19550))] == [Severity.MEDIUM]
    found = esa_week(payment(1, JUNE, 19000), payment(2, JUNE + 6 * DAY, 551))
    assert [(f.key, f.severity, f.computed["week_total"]) for f in found] == [
        ("week:2025-06-02", Severity.HIGH, "£195.51")]
    assert found[0].references == ((Reference.PAYMENT, 1), (Reference.PAYMENT, 2))
    # A payment the next Monday belongs to the next week.
    assert esa_week(payment(1, JUNE, 1000), payment(2, JUNE + 7 * DAY, 1001)) == []


def test_tb05_extra_expenses_count_with_payments():
    found = esa_week(payment(1, JUNE, 1500), expenses=[expense(9, JUNE, 1001, 500)])
    assert [(f.severity, f.computed["week_total"]) for f in found] == [(Severity.MEDIUM, "£20.01")]
    assert (Reference.EXPENSE, 9) in found[0].references


def test_tb05_paid_hours_at_the_permitted_work_line():
    library = role(7, activity_id=77)
    paid = payment(1, JUNE, 1000, activity=77)
    under = [given(1, JUNE, 16 * HOUR - 1, role=library)]
    at = [given(1, JUNE, 8 * HOUR, role=library), given(2, JUNE + DAY, 8 * HOUR, role=library)]
    assert esa_week(paid, given=under) == []
    found = esa_week(paid, given=at)
    assert [(f.severity, f.computed["paid_hours"]) for f in found] == [(Severity.HIGH, "16")]
    # Hours in an activity that did not pay that week are volunteering: exempt work, no hours cap.
    assert esa_week(payment(1, JUNE, 1000, activity=99), given=at) == []
    assert esa_week(given=[given(1, JUNE, 40 * HOUR, role=library)]) == []


def test_tb05_the_same_payment_in_two_tax_years():
    june_2026 = D(2026, 6, 1)
    assert [f.severity for f in esa_week(payment(1, JUNE, 20000))] == [Severity.HIGH]
    found = esa_week(payment(1, june_2026, 20000), start=june_2026)
    assert [f.severity for f in found] == [Severity.MEDIUM]
    higher = next(f for f in found[0].thresholds if f.name == "esa_permitted_work_higher_weekly")
    assert (higher.value, higher.tax_year, higher.verified) == (Decimal("203.50"), "2026/27", False)
    assert found[0].params["tax_year"] == "2026/27"


# --- TB-06 Carer's Allowance earnings --------------------------------------------------------------------


def carer_weeks(*records: PaymentReceived, span=None, **fields) -> list[Finding]:
    return run("TB-06", context(profile(Benefit.CA, **fields), span or week(), payments=records))


def test_tb06_the_warning_share_and_the_limit():
    # 2025/26: £196 a week; warning from 80 %, £156.80.
    assert carer_weeks(payment(1, JUNE, 15679)) == []
    assert [f.severity for f in carer_weeks(payment(1, JUNE, 15680))] == [Severity.MEDIUM]
    assert [f.severity for f in carer_weeks(payment(1, JUNE, 19600))] == [Severity.MEDIUM]
    found = carer_weeks(payment(1, JUNE, 19601))
    assert [(f.key, f.severity, f.params["limit"]) for f in found] == [("week:2025-06-02", Severity.HIGH, "£196.00")]


def test_tb06_a_benefit_week_spanning_6_april_takes_the_limit_in_force_on_its_first_day():
    # Friday-to-Thursday benefit weeks. The week from Friday 3 April 2026 began under 2025/26's £196; the
    # next, from Friday 10 April, under 2026/27's £204 (secondary sources: unverified).
    found = carer_weeks(payment(1, D(2026, 4, 7), 20000), payment(2, D(2026, 4, 14), 20000),
                        span=(D(2026, 4, 3), D(2026, 4, 16)), benefit_week_starts=4)
    assert [(f.key, f.severity) for f in found] == [("week:2026-04-03", Severity.HIGH),
                                                     ("week:2026-04-10", Severity.MEDIUM)]
    limits = [next(t for t in f.thresholds if t.name == "ca_earnings_limit_weekly") for f in found]
    assert [(t.value, t.tax_year, t.verified) for t in limits] == [
        (Decimal("196.00"), "2025/26", True), (Decimal("204.00"), "2026/27", False)]


# --- TB-07 means-tested benefits ---------------------------------------------------------------------------


def test_tb07_uc_any_payment_in_an_assessment_period():
    member = profile(Benefit.UC, uc_assessment_day=15)
    span = (D(2025, 6, 1), D(2025, 7, 31))
    assert run("TB-07", context(member, span)) == []
    found = run("TB-07", context(member, span, payments=[payment(1, D(2025, 6, 20), 1)]))
    assert [(f.key, f.severity, f.window_start, f.window_end) for f in found] == [
        ("period:2025-06-15", Severity.MEDIUM, D(2025, 6, 15), D(2025, 7, 14))]
    assert "above_work_allowance" not in found[0].computed


def test_tb07_uc_figures_are_taken_on_the_assessment_periods_first_day():
    # 2026/27's work allowances apply to periods starting on or after 13 April 2026.
    def allowance(day: int) -> Figure:
        member = profile(Benefit.UC, uc_work_group=UcWorkGroup.LCW, uc_assessment_day=day)
        found = run("TB-07", context(member, (D(2026, 5, 1), D(2026, 5, 31)),
                                     payments=[payment(1, D(2026, 4, 30), 42700)]))
        return next(t for t in found[0].thresholds if t.name == "uc_work_allowance_lower_monthly")

    assert (allowance(12).value, allowance(12).tax_year) == (Decimal("411.00"), "2025/26")
    later = allowance(13)
    assert (later.value, later.tax_year, later.verified) == (Decimal("427.00"), "2026/27", False)


def test_tb07_uc_limited_capability_compares_the_work_allowance():
    member = profile(Benefit.UC, uc_work_group=UcWorkGroup.LCWRA)
    span = (D(2025, 6, 1), D(2025, 6, 30))
    for pence, above in ((41099, "£0.00"), (41100, "£0.00"), (41101, "£0.01")):
        found = run("TB-07", context(member, span, payments=[payment(1, D(2025, 6, 9), pence)]))
        assert [(f.key, f.computed["above_work_allowance"]) for f in found] == [("period:2025-06-01", above)]


def test_tb07_pension_credit_weekly_with_the_disregard_for_a_couple():
    member = profile(Benefit.PC, couple=True)
    for pence, above in ((999, "£0.00"), (1000, "£0.00"), (1001, "£0.01")):
        found = run("TB-07", context(member, week(), payments=[payment(1, JUNE, pence)]))
        assert [(f.key, f.severity, f.computed["above_pc_disregard"]) for f in found] == [
            ("week:2025-06-02", Severity.MEDIUM, above)]
    assert run("TB-07", context(profile(Benefit.PIP), week(), payments=[payment(1, JUNE, 5000)])) == []


def test_tb07_new_style_jsa_shows_the_paid_hours_beside_the_paid_work_line():
    job = role(7, activity_id=77)
    found = run("TB-07", context(profile(Benefit.NS_JSA), week(), payments=[payment(1, JUNE, 5000, activity=77)],
                                 given=[given(2, JUNE, 16 * HOUR, role=job), given(3, JUNE, HOUR)]))
    assert [(f.key, f.severity, f.computed["paid_hours"]) for f in found] == [
        ("week:2025-06-02", Severity.MEDIUM, "16")]
    assert found[0].references == ((Reference.PAYMENT, 1), (Reference.EXCHANGE, 2))
    assert "ns_jsa_max_paid_hours" in {t.name for t in found[0].thresholds}


# --- TB-08 job-like roles ------------------------------------------------------------------------------------


def sessions_in(job: RoleFacts, count: int, minutes: int = HOUR, start: dt.date = JUNE) -> list[Given]:
    return [given(n, start + n * DAY, minutes, role=job, session=1000 + n) for n in range(count)]


def test_tb08_sessions_in_28_days_by_kind_of_organisation():
    uc = profile(Benefit.UC)
    span = (JUNE, JUNE + 29 * DAY)
    assert run("TB-08", context(uc, span, given=sessions_in(role(7), 3))) == []
    found = run("TB-08", context(uc, span, given=sessions_in(role(7), 4)))
    assert [(f.key, f.severity, f.computed["sessions"]) for f in found] == [("role:7", Severity.MEDIUM, "4")]
    # The latest 28 days in the span that still hold all four sessions.
    assert (found[0].window_start, found[0].window_end) == (JUNE, JUNE + 27 * DAY)
    assert severities("TB-08", context(profile(Benefit.HB), span, given=sessions_in(role(7), 4))) == [Severity.LOW]
    business = role(8, Counterparty.BUSINESS)
    assert severities("TB-08", context(uc, span, given=sessions_in(business, 4))) == [Severity.HIGH]
    paid_post = role(9, Counterparty.PUBLIC_BODY, normally_paid=True)
    assert severities("TB-08", context(uc, span, given=sessions_in(paid_post, 4))) == [Severity.HIGH]
    charity_post = role(10, Counterparty.REGISTERED_CHARITY, normally_paid=True)
    assert severities("TB-08", context(uc, span, given=sessions_in(charity_post, 4))) == [Severity.LOW]
    assert run("TB-08", context(uc, span, given=sessions_in(role(11, Counterparty.REGISTERED_CHARITY), 9))) == []


def test_tb08_hours_a_week_averaged_over_28_days():
    uc = profile(Benefit.UC)
    span = (JUNE, JUNE + 29 * DAY)
    assert run("TB-08", context(uc, span, given=sessions_in(role(7), 1, 32 * HOUR - 1))) == []
    found = run("TB-08", context(uc, span, given=sessions_in(role(7), 1, 32 * HOUR)))
    assert [(f.key, f.computed["hours_per_week"]) for f in found] == [("role:7", "8")]


def test_tb08_one_session_recorded_by_two_exchanges_counts_once():
    job = role(7)
    records = [given(n, JUNE + n * DAY, role=job, session=1000 + min(n, 2)) for n in range(4)]
    assert run("TB-08", context(profile(Benefit.UC), (JUNE, JUNE + 29 * DAY), given=records)) == []


def test_pattern_keys_are_stable_when_a_later_span_is_evaluated():
    uc = profile(Benefit.UC)
    records = sessions_in(role(7), 4)
    first = run("TB-08", context(uc, (JUNE, JUNE + 14 * DAY), given=records))
    again = run("TB-08", context(uc, (JUNE + 7 * DAY, JUNE + 40 * DAY), given=records))
    assert [f.key for f in first] == [f.key for f in again] == ["role:7"]
    assert first[0].window_end == JUNE + 14 * DAY and again[0].window_end == JUNE + 27 * DAY
    # Weekly keys name the week, so a later span finds the same week under the same key.
    carer = profile(Benefit.CA)
    money = [payment(1, JUNE + 2 * DAY, 20000)]
    assert ([f.key for f in run("TB-06", context(carer, (JUNE, JUNE + 9 * DAY), payments=money))]
            == [f.key for f in run("TB-06", context(carer, (JUNE + 6 * DAY, JUNE + 60 * DAY), payments=money))]
            == ["week:2025-06-02"])


# --- TB-09 relatives and household ---------------------------------------------------------------------------


def test_tb09_help_to_family_low_then_medium_above_4_hours_in_the_week():
    uc = profile(Benefit.UC)
    relative = Relationship.CLOSE_RELATIVE
    at = [given(1, JUNE, 3 * HOUR, relationship=relative),
          given(2, JUNE + DAY, HOUR, relationship=Relationship.HOUSEHOLD)]
    assert severities("TB-09", context(uc, week(), given=at)) == [Severity.LOW, Severity.LOW]
    above = [*at, given(3, JUNE + 2 * DAY, 1, relationship=relative)]
    found = run("TB-09", context(uc, week(), given=above))
    assert [(f.key, f.severity) for f in found] == [
        ("exchange:1", Severity.MEDIUM), ("exchange:2", Severity.MEDIUM), ("exchange:3", Severity.MEDIUM)]
    assert run("TB-09", context(uc, week(), given=[given(1, JUNE, 9 * HOUR)])) == []


# --- TB-10 trade-like activity -------------------------------------------------------------------------------


def test_tb10_one_category_to_many_residents_or_for_many_hours():
    uc = profile(Benefit.UC)
    span = (JUNE, JUNE + 27 * DAY)
    four = [given(n, JUNE + n * DAY, holder=600 + n, category="diy") for n in range(4)]
    assert run("TB-10", context(uc, span, given=four)) == []
    five = [*four, given(9, JUNE + 9 * DAY, holder=609, category="diy")]
    found = run("TB-10", context(uc, span, given=five))
    assert [(f.key, f.severity, f.computed["recipients"]) for f in found] == [("category:diy", Severity.MEDIUM, "5")]
    under = [given(1, JUNE, 20 * HOUR - 1, category="diy")]
    assert run("TB-10", context(uc, span, given=under)) == []
    at = [given(1, JUNE, 20 * HOUR, category="diy")]
    assert [f.key for f in run("TB-10", context(uc, span, given=at))] == ["category:diy"]


def test_tb10_credits_earned_from_a_business():
    uc = profile(Benefit.UC)
    records = [given(1, JUNE, HOUR, holder=42, counterparty=Counterparty.BUSINESS)]
    found = run("TB-10", context(uc, week(), given=records))
    assert [(f.key, f.params["pattern"], f.params["subject"]) for f in found] == [
        ("organisation:42", "business", "Holder 42")]
    assert str(found[0].params["pattern"]) == "credits earned from a business"


# --- TB-11 UC work search --------------------------------------------------------------------------------------


def four_weeks(total_minutes: int) -> list[Given]:
    return [given(1, JUNE, total_minutes // 2), given(2, JUNE + 20 * DAY, total_minutes - total_minutes // 2)]


def test_tb11_more_than_half_the_expected_hours():
    searching = profile(Benefit.UC, uc_work_group=UcWorkGroup.ALL_REQUIREMENTS)
    span = (JUNE + 27 * DAY, JUNE + 27 * DAY)
    assert run("TB-11", context(searching, span, given=four_weeks(70 * HOUR))) == []  # 17.5 a week: at, not above
    found = run("TB-11", context(searching, span, given=four_weeks(70 * HOUR + 4)))
    assert [(f.key, f.severity, f.computed["voluntary_cap_hours"]) for f in found] == [
        ("claimant_commitment", Severity.MEDIUM, "17.5")]
    assert {t.name for t in found[0].thresholds} == {"uc_voluntary_work_max_fraction", "uc_expected_hours_default"}
    other_group = replace(searching, uc_work_group=UcWorkGroup.LCW)
    assert run("TB-11", context(other_group, span, given=four_weeks(100 * HOUR))) == []
    jsa = profile(Benefit.NS_JSA)
    assert [f.key for f in run("TB-11", context(jsa, span, given=four_weeks(70 * HOUR + 4)))] == ["claimant_commitment"]


def test_tb11_the_members_expected_and_agreed_hours():
    span = (JUNE + 27 * DAY, JUNE + 27 * DAY)
    fewer = profile(Benefit.UC, uc_work_group=UcWorkGroup.ALL_REQUIREMENTS, uc_expected_hours=20)
    assert run("TB-11", context(fewer, span, given=four_weeks(40 * HOUR))) == []
    assert [f.params["cap"] for f in run("TB-11", context(fewer, span, given=four_weeks(40 * HOUR + 4)))] == ["10"]
    agreed = profile(Benefit.UC, uc_work_group=UcWorkGroup.ALL_REQUIREMENTS, agreed_voluntary_hours=6)
    assert run("TB-11", context(agreed, span, given=four_weeks(24 * HOUR))) == []
    found = run("TB-11", context(agreed, span, given=four_weeks(24 * HOUR + 4)))
    assert [f.computed["agreed_voluntary_hours"] for f in found] == ["6"]


# --- TB-12 notice and days away ---------------------------------------------------------------------------------


def test_tb12_notice_above_48_hours_or_two_days_away():
    searching = profile(Benefit.UC, uc_work_group=UcWorkGroup.ALL_REQUIREMENTS)
    span = week()
    records = [booking(1, JUNE, JUNE, role(1, release_notice_hours=48)),
               booking(2, JUNE, JUNE, role(2, release_notice_hours=49)),
               booking(3, JUNE, JUNE, role(3, away_overnight=True)),
               booking(4, JUNE, JUNE + DAY, role(4, away_overnight=True)),
               booking(5, JUNE + 7 * DAY, JUNE + 9 * DAY, role(5, away_overnight=True))]
    found = run("TB-12", context(searching, span, bookings=records))
    assert [(f.key, f.severity) for f in found] == [("sign_up:2", Severity.LOW), ("sign_up:4", Severity.LOW)]
    assert found[1].computed["days_away"] == "2" and found[1].references == ((Reference.SIGN_UP, 4),)
    assert run("TB-12", context(profile(Benefit.UC, uc_work_group=UcWorkGroup.LCWRA), span, bookings=records)) == []


# --- TB-13 new regular activity ------------------------------------------------------------------------------------


def test_tb13_three_sessions_with_one_counterpart_not_yet_told():
    span = (JUNE, JUNE + 27 * DAY)
    two = [given(n, JUNE + 7 * n * DAY, holder=77) for n in range(2)]
    three = [given(n, JUNE + 7 * n * DAY, holder=77) for n in range(3)]
    assert run("TB-13", context(profile(Benefit.UC), span, given=two)) == []
    found = run("TB-13", context(profile(Benefit.UC), span, given=three))
    assert [(f.key, f.severity, f.params["start"]) for f in found] == [("person:77", Severity.INFO, JUNE)]
    assert run("TB-13", context(profile(Benefit.UC, last_told_on=JUNE), span, given=three)) == []
    assert len(run("TB-13", context(profile(Benefit.UC, last_told_on=JUNE - DAY), span, given=three))) == 1


def test_tb13_a_going_pattern_is_not_new_and_a_new_organisation_is():
    span = (JUNE, JUNE + 27 * DAY)
    going = [given(n, JUNE - 70 * DAY + 7 * n * DAY, holder=77) for n in range(14)]  # weekly since April
    assert run("TB-13", context(profile(Benefit.UC), span, given=going)) == []
    first = [given(1, JUNE + 3 * DAY, holder=301, counterparty=Counterparty.REGISTERED_CHARITY)]
    assert [f.key for f in run("TB-13", context(profile(Benefit.UC), span, given=first))] == ["organisation:301"]
    assert run("TB-13", context(profile(Benefit.UC), span, given=first, earlier={301})) == []


# --- TB-14 health-route activity -----------------------------------------------------------------------------------


def test_tb14_average_hours_and_a_doubling_over_the_8_weeks_before():
    esa = profile(Benefit.NS_ESA)
    end = JUNE + 27 * DAY
    span = (end, end)
    assert run("TB-14", context(esa, span, given=four_weeks(64 * HOUR - 4))) == []
    found = run("TB-14", context(esa, span, given=four_weeks(64 * HOUR)))
    assert [(f.key, f.severity, f.computed["average_hours_per_week"]) for f in found] == [
        ("activity", Severity.LOW, "16")]
    baseline = [given(50, JUNE - 30 * DAY, 16 * HOUR)]  # 2 hours a week over the 8 weeks before
    assert run("TB-14", context(esa, span, given=[*baseline, *four_weeks(16 * HOUR - 4)])) == []
    found = run("TB-14", context(esa, span, given=[*baseline, *four_weeks(16 * HOUR)]))
    assert [f.computed["baseline_hours_per_week"] for f in found] == ["2"]
    uc = profile(Benefit.UC, uc_work_group=UcWorkGroup.ALL_REQUIREMENTS)
    assert run("TB-14", context(uc, span, given=four_weeks(80 * HOUR))) == []
    limited = replace(uc, uc_work_group=UcWorkGroup.LCW)
    assert len(run("TB-14", context(limited, span, given=four_weeks(80 * HOUR)))) == 1


# --- TB-15 caring hours ----------------------------------------------------------------------------------------------


def test_tb15_hours_in_a_week_and_days_away():
    carer = profile(Benefit.CSP)
    assert run("TB-15", context(carer, week(), given=[given(1, JUNE, 30 * HOUR - 1)])) == []
    found = run("TB-15", context(carer, week(), given=[given(1, JUNE, 30 * HOUR)]))
    assert [(f.key, f.severity) for f in found] == [("week:2025-06-02", Severity.LOW)]
    trips = [booking(1, JUNE, JUNE + DAY, role(1, away_overnight=True)),
             booking(2, JUNE, JUNE + 2 * DAY, role(2, away_overnight=True)),
             booking(3, JUNE, JUNE + 3 * DAY, role(3, away_overnight=False))]
    found = run("TB-15", context(carer, week(), bookings=trips))
    assert [(f.key, f.params["days"]) for f in found] == [("sign_up:2", "3")]
