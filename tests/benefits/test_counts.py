"""What funders see of benefit-safe flags: how many, by rule and severity, this tax year, with counts from 1 to 4
not shown; never whose, never evidence. On the funder's home page and over the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from timebank.auth import tokens
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.benefits.facts import Severity
from timebank.benefits.models import BenefitFlag
from timebank.members.models import BankRoleName, Person


def _flags(session: Session, bank: TimeBank, person: Person, rule_id: str, severity: Severity, number: int,
           day: dt.date) -> None:
    for n in range(number):
        session.add(BenefitFlag(person_id=person.id, time_bank_id=bank.id, rule_id=rule_id, key=f"k:{rule_id}:{n}",
                                severity=severity, window_start=day, window_end=day, evidence={}))
    session.flush()


def test_a_funder_sees_counts_by_rule_with_small_numbers_not_shown(
    db_session: Session, bank: TimeBank, make_member: Callable[..., tuple[Person, object]],
    make_person: Callable[..., Person], browser: Callable[[Person | None], FlaskClient], app, today: dt.date,
):
    member, _ = make_member(bank, "Olwen Harries")
    _flags(db_session, bank, member, "TB-04", Severity.HIGH, 6, today)
    _flags(db_session, bank, member, "TB-09", Severity.LOW, 2, today)
    funder = make_person("Fiona Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER, actor_id=None)
    raw, _ = tokens.issue_token(db_session, funder, dt.timedelta(days=1), name="counts")

    page = browser(funder).get("/").get_data(as_text=True)
    assert "TB-04" in page and "TB-09" in page and "Olwen" not in page
    answer = app.test_client().get(f"/api/v1/banks/{bank.id}/benefit-flag-counts",
                                   headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 200
    counts = {(c["rule"], c["severity"]): c["count"] for c in answer.json["counts"]}
    assert counts == {("TB-04", "high"): 6, ("TB-09", "low"): None}
    assert answer.json["suppressed_below"] == 5


def test_nobody_else_learns_the_counts(db_session: Session, bank: TimeBank, make_member, app):
    member, _ = make_member(bank, "Rhys Morgan")
    raw, _ = tokens.issue_token(db_session, member, dt.timedelta(days=1), name="counts")
    db_session.commit()
    answer = app.test_client().get(f"/api/v1/banks/{bank.id}/benefit-flag-counts",
                                   headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 404
