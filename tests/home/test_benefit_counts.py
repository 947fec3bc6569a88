"""The broker's home counts the benefit-safe flags waiting in each bank they broker, by severity, and links each
count to the bank's review queue; nobody else's home shows them (an admin as such, a member, an organisation)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy.orm import Session

from tests.support import statements_sent
from timebank.banks import service as banks
from timebank.benefits.facts import Severity
from timebank.benefits.models import BenefitFlag, FlagState
from timebank.members.models import BankRoleName


@pytest.fixture
def flagged(db_session: Session, make_bank, make_member, make_broker, make_person, today: dt.date):
    bank = make_bank(name="Hollinbridge Time Bank")
    quiet = make_bank(name="Quiet Vale Time Bank")
    broker = make_broker(bank, "Gwen the Broker")
    make_broker(quiet, "Someone Else")
    member, _ = make_member(bank, "Mair Member")
    states = [(Severity.HIGH, FlagState.OPEN), (Severity.HIGH, FlagState.SNOOZED), (Severity.LOW, FlagState.OPEN),
              (Severity.MEDIUM, FlagState.ACKNOWLEDGED), (Severity.MEDIUM, FlagState.RESOLVED)]
    for n, (severity, state) in enumerate(states):
        db_session.add(BenefitFlag(person_id=member.id, time_bank_id=bank.id, rule_id="TB-01", key=f"redemption:{n}",
                                   severity=severity, state=state, window_start=today, window_end=today,
                                   evidence={}))
    db_session.commit()
    return bank, quiet, broker, member


def test_the_broker_sees_waiting_flags_by_severity(db_session: Session, as_person, flagged) -> None:
    bank, _quiet, broker, _member = flagged
    html = as_person(broker).get("/").get_data(as_text=True)
    section = html.split('id="benefit-flags"')[1].split("</section>")[0]
    row = section.split("Hollinbridge Time Bank")[1].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r'<td class="num">(.*?)</td>', row, re.S)]
    assert cells == ["2", "1", "1", "0", "4"]  # high, medium, low, info, all waiting (the resolved one is not)
    assert f'href="/benefits/queue?bank_id={bank.id}&amp;severity=high"' in row
    assert f'href="/benefits/queue?bank_id={bank.id}"' in row
    assert "Quiet Vale" not in section


def test_counts_are_one_statement_for_all_the_brokers_banks(db_session: Session, as_person, flagged) -> None:
    _bank, quiet, broker, _member = flagged
    client = as_person(broker)
    db_session.expire_all()
    with statements_sent(db_session.connection()) as one_bank:
        client.get("/")
    banks.grant_role(db_session, time_bank_id=quiet.id, person_id=broker.id, role=BankRoleName.BROKER, actor_id=None)
    db_session.commit()
    db_session.expire_all()
    with statements_sent(db_session.connection()) as two_banks:
        html = client.get("/").get_data(as_text=True)
    assert sum("benefit_flags" in statement for statement in one_bank) == 1
    assert sum("benefit_flags" in statement for statement in two_banks) == 1
    assert "Quiet Vale Time Bank" in html.split('id="benefit-flags"')[1].split("</section>")[0]


def test_nobody_else_sees_them(db_session: Session, as_person, flagged, make_person, make_organisation) -> None:
    bank, _quiet, _broker, member = flagged
    admin = make_person("Ada Admin", is_admin=True)
    organisation_admin = make_person("Olwen Officer")
    make_organisation(bank, "Hollinbridge Council", admins=(organisation_admin,))
    db_session.commit()
    for person in (admin, member, organisation_admin):
        html = as_person(person).get("/").get_data(as_text=True)
        assert 'id="benefit-flags"' not in html and "/benefits/queue" not in html, person.display_name


def test_a_member_finds_their_activity_summary(as_person, flagged) -> None:
    _bank, _quiet, _broker, member = flagged
    html = as_person(member).get("/").get_data(as_text=True)
    assert 'href="/benefits/summary"' in html
