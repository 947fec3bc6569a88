"""Fixtures for the benefit-safe pages and API: a bank with a member, a broker, another resident, an
organisation's admin, a funder, an admin and another bank's broker; factories for consent, a profile and
flags inserted as the engine would keep them.

The tests do not depend on which rules exist: flags carry a stand-in rule, ``TB-T1``, registered for the
test (in ``RULES_BY_ID`` for showing it, and in the engine's rules so that a run of the engine keeps it:
its evaluation finds nothing, and the flags' windows lie long before anything a test touches).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.api.conftest import anonymous, api_as, make_admin, make_funder  # noqa: F401 (fixtures shared here)
from timebank.banks.models import TimeBank
from timebank.benefits import engine, profiles, triggers
from timebank.benefits import rules as rules_module
from timebank.benefits.facts import Benefit, Profile, Severity
from timebank.benefits.models import BenefitConsent, BenefitFlag, BenefitFlagEvent, FlagAction, FlagState
from timebank.benefits.rulebook import Reference, Rule, Window
from timebank.ledger.models import Account
from timebank.members.models import Organisation, Person

TEST_RULE_ID = "TB-T1"
OTHER_RULE_ID = "TB-T2"
#: Long before anything a test touches (the engine re-looks at spans around the days touched).
LONG_AGO = dt.date(2024, 5, 6)


def _rule(rule_id: str, title: str) -> Rule:
    return Rule(
        id=rule_id, title=title, benefits=frozenset(Benefit), reads=frozenset({Reference.PAYMENT}),
        window=Window.EVENT, lookback_days=0,
        member_text="On %(date)s %(partner)s gave you %(amount)s. Money can change what you get from benefits.",
        broker_text="%(member)s was paid %(amount)s by %(partner)s on %(date)s. Check whether it counts as earnings.",
        evaluate=lambda _context: [],
    )


@pytest.fixture
def test_rules(monkeypatch: pytest.MonkeyPatch) -> dict[str, Rule]:
    made = {TEST_RULE_ID: _rule(TEST_RULE_ID, "A payment for helping"),
            OTHER_RULE_ID: _rule(OTHER_RULE_ID, "Expenses above receipts")}
    for rule_id, rule in made.items():
        monkeypatch.setitem(rules_module.RULES_BY_ID, rule_id, rule)
    monkeypatch.setattr(engine, "RULES", (*engine.RULES, *made.values()))
    return made


@dataclass
class People:
    bank: TimeBank
    member: Person
    account: Account
    broker: Person
    resident: Person
    org_admin: Person
    organisation: Organisation
    funder: Person
    admin: Person
    other_broker: Person
    other_bank: TimeBank


@pytest.fixture
def people(bank: TimeBank, make_bank, make_member, make_broker, make_person, make_organisation,
           make_funder: Callable[..., Person], make_admin: Callable[..., Person]) -> People:  # noqa: F811
    member, account = make_member(bank, "Mair Member")
    resident, _ = make_member(bank, "Rhys Resident")
    org_admin = make_person("Owen Orgadmin")
    organisation, _ = make_organisation(bank, "Hollinbridge Charity", admins=(org_admin,))
    other_bank = make_bank(name="Dyffryn Time Bank")
    return People(bank=bank, member=member, account=account, broker=make_broker(bank, "Nia Broker"),
                  resident=resident, org_admin=org_admin, organisation=organisation,
                  funder=make_funder(bank, "Fred Funder"), admin=make_admin("Ada Admin"),
                  other_broker=make_broker(other_bank, "Dewi Otherbroker"), other_bank=other_bank)


@pytest.fixture
def give_consent(db_session: Session) -> Callable[..., BenefitConsent]:
    def give(person: Person, actor: Person | None = None) -> BenefitConsent:
        return profiles.give_consent(db_session, actor or person, person.id)

    return give


@pytest.fixture
def save_profile(db_session: Session) -> Callable[..., Profile]:
    """Save a profile (consent must stand) and run the rules it touched at once, as a commit would, so
    that no later commit in the test runs them for it."""

    def save(person: Person, actor: Person | None = None, **fields: Any) -> Profile:
        profile = Profile(**{"benefits": frozenset({Benefit.UC}), **fields})
        profiles.save_profile(db_session, actor or person, person.id, profile)
        triggers.run_touched(db_session)
        return profile

    return save


def evidence(**changes: Any) -> dict[str, Any]:
    """A flag's evidence as the engine keeps it: a payment, what was worked out, two thresholds (one the
    law's and checked, one a rule of thumb still being checked), and the message's values."""
    return {
        "references": [["payment", 7], ["exchange", 11]],
        "computed": {"amount": "£40.00", "paid_hours": "3"},
        "thresholds": [
            {"name": "uc_work_allowance_lower_monthly", "value": "411.00", "unit": "GBP/month",
             "effective_from": "2024-04-06", "kind": "statutory", "source": "UC Regulations 2013 reg 22",
             "verified": True, "tax_year": "2024/25"},
            {"name": "tb05_weekly_warning", "value": "20.00", "unit": "GBP/week", "effective_from": "2024-04-06",
             "kind": "heuristic", "source": "Our own prompt for a conversation", "verified": False,
             "tax_year": "2024/25"},
        ],
        "params": {"date": LONG_AGO.isoformat(), "partner": "Hollinbridge Charity", "amount": "£40.00"},
        **changes,
    }


@pytest.fixture
def make_flag(db_session: Session) -> Callable[..., BenefitFlag]:
    counter = iter(range(1, 10_000))

    def make(person: Person, bank: TimeBank, *, rule_id: str = TEST_RULE_ID, severity: Severity = Severity.HIGH,
             state: FlagState = FlagState.OPEN, **changes: Any) -> BenefitFlag:
        flag = BenefitFlag(person_id=person.id, time_bank_id=bank.id, rule_id=rule_id, key=f"test:{next(counter)}",
                           severity=severity, state=state, window_start=LONG_AGO, window_end=LONG_AGO,
                           evidence=evidence(**changes))
        db_session.add(flag)
        db_session.flush()
        db_session.add(BenefitFlagEvent(flag_id=flag.id, actor_id=None, action=FlagAction.RAISED))
        db_session.flush()
        return flag

    return make
