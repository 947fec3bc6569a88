"""Clearances are derived from DBS checks, their expiry and references: the rules as worked examples,
and as properties that hold for any set of checks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timebank.safeguarding.clearances import (
    EXPIRING_WITHIN,
    Clearance,
    add_months,
    derive,
    valid_until,
)
from timebank.safeguarding.models import DbsCheck, DbsLevel, Workforce

TODAY = dt.date(2025, 6, 15)
RENEWAL_MONTHS = 36


def check(level: DbsLevel, issued_on: dt.date, workforce: Workforce | None = None, *,
          update_service: bool = False, status_checked_on: dt.date | None = None) -> DbsCheck:
    if level == DbsLevel.ENHANCED_BARRED and workforce is None:
        workforce = Workforce.BOTH
    return DbsCheck(level=level, workforce=workforce, issued_on=issued_on, update_service=update_service,
                    status_checked_on=status_checked_on)


def granted(statuses) -> set[Clearance]:
    return {clearance for clearance, status in statuses.items() if status.granted}


# --- add_months ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
    (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),  # a leap year
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),
    (dt.date(2023, 8, 31), 1, dt.date(2023, 9, 30)),
    (dt.date(2023, 12, 15), 1, dt.date(2024, 1, 15)),
    (dt.date(2022, 3, 10), 36, dt.date(2025, 3, 10)),
    (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
    (dt.date(2024, 1, 15), -1, dt.date(2023, 12, 15)),
    (dt.date(2024, 5, 5), 0, dt.date(2024, 5, 5)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@given(day=st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)), months=st.integers(0, 240))
def test_add_months_lands_in_the_right_month_and_never_goes_past_the_day(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day
    assert later.day == day.day or later.month != (later + dt.timedelta(days=1)).month, "cut to the month's end"


# --- how long a check counts -----------------------------------------------------------------------


def test_a_certificate_counts_for_the_bank_s_renewal_period_from_its_date():
    certificate = check(DbsLevel.BASIC, dt.date(2022, 3, 10))
    assert valid_until(certificate, 36) == dt.date(2025, 3, 9)
    assert valid_until(certificate, 12) == dt.date(2023, 3, 9)


def test_a_status_check_on_the_update_service_extends_it_a_year_from_the_check():
    on_update_service = check(DbsLevel.ENHANCED, dt.date(2022, 3, 10), update_service=True,
                              status_checked_on=dt.date(2025, 1, 6))
    assert valid_until(on_update_service, 36) == dt.date(2026, 1, 5)
    early_status_check = check(DbsLevel.ENHANCED, dt.date(2022, 3, 10), update_service=True,
                               status_checked_on=dt.date(2022, 4, 1))
    assert valid_until(early_status_check, 36) == dt.date(2025, 3, 9), "never shortens the certificate"
    not_subscribed = check(DbsLevel.ENHANCED, dt.date(2022, 3, 10))
    assert valid_until(not_subscribed, 36) == dt.date(2025, 3, 9)


# --- worked examples -------------------------------------------------------------------------------


def test_an_enhanced_check_with_both_barred_lists_and_two_references_grants_everything():
    statuses = derive([check(DbsLevel.ENHANCED_BARRED, dt.date(2024, 1, 20))], 2, RENEWAL_MONTHS, TODAY)
    assert granted(statuses) == set(Clearance)
    assert {status.valid_until for status in statuses.values()} == {dt.date(2027, 1, 19)}
    assert not any(status.expiring_soon or status.missing for status in statuses.values())


def test_a_basic_check_clears_home_visits_only():
    statuses = derive([check(DbsLevel.BASIC, dt.date(2024, 1, 20))], 3, RENEWAL_MONTHS, TODAY)
    assert granted(statuses) == {Clearance.HOME_VISITS}
    assert "children's barred list" in str(statuses[Clearance.CHILDREN].missing[0])


@pytest.mark.parametrize(("workforce", "cleared"), [
    (Workforce.CHILDREN, {Clearance.HOME_VISITS, Clearance.CHILDREN}),
    (Workforce.ADULTS, {Clearance.HOME_VISITS, Clearance.ADULTS_AT_RISK}),
    (Workforce.BOTH, set(Clearance)),
])
def test_the_barred_lists_checked_decide_children_and_adults_at_risk(workforce, cleared):
    statuses = derive([check(DbsLevel.ENHANCED_BARRED, dt.date(2024, 1, 20), workforce)], 2, RENEWAL_MONTHS, TODAY)
    assert granted(statuses) == cleared


def test_an_enhanced_check_without_barred_lists_does_not_clear_children():
    statuses = derive([check(DbsLevel.ENHANCED, dt.date(2024, 1, 20))], 2, RENEWAL_MONTHS, TODAY)
    assert granted(statuses) == {Clearance.HOME_VISITS}


def test_references_are_needed_as_well_as_a_check():
    statuses = derive([check(DbsLevel.ENHANCED_BARRED, dt.date(2024, 1, 20))], 1, RENEWAL_MONTHS, TODAY)
    assert granted(statuses) == set()
    assert [str(m) for m in statuses[Clearance.HOME_VISITS].missing] == [
        "two satisfactory references (1 so far)"]


def test_an_expired_dbs_gives_no_clearance_and_says_when_it_ran_out():
    expired = check(DbsLevel.ENHANCED_BARRED, dt.date(2022, 6, 1))  # counted until 31 May 2025
    statuses = derive([expired], 2, RENEWAL_MONTHS, TODAY)
    assert granted(statuses) == set()
    assert str(statuses[Clearance.CHILDREN].missing[0]) == (
        "a current enhanced DBS check with the children's barred list: the last one ran out on 31/05/2025")


def test_the_last_day_still_counts_and_shows_as_expiring():
    last_day = check(DbsLevel.BASIC, dt.date(2022, 6, 16))  # counted until 15 June 2025
    status = derive([last_day], 2, RENEWAL_MONTHS, TODAY)[Clearance.HOME_VISITS]
    assert (status.granted, status.valid_until, status.expiring_soon) == (True, TODAY, True)
    assert not derive([last_day], 2, RENEWAL_MONTHS, TODAY + dt.timedelta(days=1))[Clearance.HOME_VISITS].granted


def test_a_renewed_check_restores_the_clearance():
    expired = check(DbsLevel.ENHANCED_BARRED, dt.date(2022, 6, 1), Workforce.CHILDREN)
    renewed = check(DbsLevel.ENHANCED_BARRED, dt.date(2025, 6, 1), Workforce.CHILDREN)
    status = derive([expired, renewed], 2, RENEWAL_MONTHS, TODAY)[Clearance.CHILDREN]
    assert (status.granted, status.valid_until) == (True, dt.date(2028, 5, 31))


def test_no_checks_and_a_none_level_check_grant_nothing():
    assert granted(derive([], 2, RENEWAL_MONTHS, TODAY)) == set()
    assert granted(derive([check(DbsLevel.NONE, dt.date(2025, 1, 1))], 2, RENEWAL_MONTHS, TODAY)) == set()


# --- properties ------------------------------------------------------------------------------------

days_back = st.integers(0, 365 * 8)
checks_st = st.builds(
    lambda level, workforce, issued_ago, update_service, status_offset: check(
        level,
        TODAY - dt.timedelta(days=issued_ago),
        workforce if level == DbsLevel.ENHANCED_BARRED else None,
        update_service=update_service,
        status_checked_on=(TODAY - dt.timedelta(days=issued_ago) + dt.timedelta(days=status_offset))
        if update_service and status_offset is not None and status_offset <= issued_ago else None,
    ),
    st.sampled_from(DbsLevel),
    st.sampled_from(Workforce),
    days_back,
    st.booleans(),
    st.none() | days_back,
)
check_lists = st.lists(checks_st, max_size=5)
references = st.integers(0, 4)
renewal = st.integers(6, 120)


@given(checks=check_lists, extra=checks_st, refs=references, months=renewal)
def test_adding_a_check_never_takes_a_clearance_away(checks, extra, refs, months):
    before = derive(checks, refs, months, TODAY)
    after = derive([*checks, extra], refs, months, TODAY)
    for clearance, status in before.items():
        if status.granted:
            assert after[clearance].granted
            assert after[clearance].valid_until >= status.valid_until


@given(checks=check_lists, refs=st.integers(0, 1), months=renewal)
def test_fewer_than_two_satisfactory_references_grant_nothing(checks, refs, months):
    assert granted(derive(checks, refs, months, TODAY)) == set()


@given(checks=check_lists, refs=references, months=renewal)
def test_only_a_current_check_grants_anything(checks, refs, months):
    current = [c for c in checks if valid_until(c, months) >= TODAY]
    assert granted(derive(checks, refs, months, TODAY)) == granted(derive(current, refs, months, TODAY))
    expired = [c for c in checks if valid_until(c, months) < TODAY]
    assert granted(derive(expired, refs, months, TODAY)) == set()


@given(checks=check_lists, refs=references, months=renewal)
def test_a_granted_clearance_runs_until_today_or_later_and_flags_its_last_30_days(checks, refs, months):
    for status in derive(checks, refs, months, TODAY).values():
        if status.granted:
            assert status.valid_until >= TODAY and not status.missing
            assert status.expiring_soon == (status.valid_until - TODAY <= EXPIRING_WITHIN)
        else:
            assert status.valid_until is None and not status.expiring_soon and status.missing


@given(checks=check_lists, refs=references, months=renewal)
def test_children_needs_a_current_enhanced_check_with_the_children_s_list(checks, refs, months):
    qualifies = any(
        c.level == DbsLevel.ENHANCED_BARRED and c.workforce in (Workforce.CHILDREN, Workforce.BOTH)
        and valid_until(c, months) >= TODAY for c in checks
    )
    assert derive(checks, refs, months, TODAY)[Clearance.CHILDREN].granted == (qualifies and refs >= 2)


@given(checks=check_lists, refs=references, months=renewal)
def test_children_or_adults_at_risk_always_come_with_home_visits(checks, refs, months):
    cleared = granted(derive(checks, refs, months, TODAY))
    if cleared & {Clearance.CHILDREN, Clearance.ADULTS_AT_RISK}:
        assert Clearance.HOME_VISITS in cleared


# --- on the day of the thing -----------------------------------------------------------------------


@given(checks=check_lists, refs=st.integers(2, 4), months=renewal,
       day=st.dates(TODAY - dt.timedelta(days=365 * 9), TODAY + dt.timedelta(days=365 * 4)))
def test_a_clearance_is_granted_on_a_day_iff_a_covering_check_counts_on_that_day(checks, refs, months, day):
    """The rule sessions are judged by: on day D, a clearance holds iff some check that covers it was
    issued on or before D and still counts on D (a session after it runs out is not covered by it)."""
    def covers(c: DbsCheck, clearance: Clearance) -> bool:
        if clearance is Clearance.HOME_VISITS:
            return c.level is not DbsLevel.NONE
        wanted = Workforce.CHILDREN if clearance is Clearance.CHILDREN else Workforce.ADULTS
        return c.level is DbsLevel.ENHANCED_BARRED and c.workforce in (wanted, Workforce.BOTH)

    for clearance, status in derive(checks, refs, months, day).items():
        windows = [(c.issued_on, valid_until(c, months)) for c in checks if covers(c, clearance)]
        assert status.granted == any(issued_on <= day <= until for issued_on, until in windows)
        if status.granted:
            assert status.valid_until == max(until for issued_on, until in windows if issued_on <= day <= until)


@given(issued_ago=st.integers(0, 365 * 3), months=renewal, ahead=st.integers(0, 365 * 4))
def test_a_check_that_counts_today_may_not_count_on_a_later_day(issued_ago, months, ahead):
    certificate = check(DbsLevel.BASIC, TODAY - dt.timedelta(days=issued_ago))
    day = TODAY + dt.timedelta(days=ahead)
    held = derive([certificate], 2, months, day)[Clearance.HOME_VISITS].granted
    assert held == (day <= valid_until(certificate, months))
