"""Factories for joining a bank: the sign-up form, applications, references, and a member who joined
the whole way through (two satisfactory references, approved by a broker)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD
from timebank.audit.models import AuditEvent
from timebank.banks.models import TimeBank
from timebank.clock import uk_today
from timebank.members.models import ContactMethod, Holder, Language, Organisation, Person
from timebank.membership import service as membership
from timebank.membership.models import Application, Reference, ReferenceOutcome
from timebank.membership.service import Referee, SignUp

#: The two people a new applicant usually names.
REFEREES = (
    Referee("Rhys Evans", "rhys.evans@example.org", "Neighbour for ten years"),
    Referee("Siân Morgan", "01632 960 456", "We sing in the same choir"),
)


@pytest.fixture
def sign_up_form() -> Callable[..., SignUp]:
    """What a new resident types into the joining form, with ``changes`` on top."""

    def fill(bank: TimeBank, **changes: Any) -> SignUp:
        form: dict[str, Any] = {
            "display_name": "Megan Hughes",
            "email": f"megan-{uuid.uuid4().hex[:8]}@example.org",
            "password": PASSWORD,
            "phone": None,
            "postcode": "hb3 2qt",
            "preferred_language": Language.ENGLISH,
            "contact_by": ContactMethod.EMAIL,
            "time_bank_id": bank.id,
            "statement": "I love gardening and could teach a little Welsh.",
            "referees": REFEREES,
        }
        form.update(changes)
        return SignUp(**form)

    return fill


def _acting_person(holder: Holder) -> Person:
    if isinstance(holder, Organisation):
        return holder.admins[0]
    assert isinstance(holder, Person)
    return holder


@pytest.fixture
def make_application(db_session: Session, make_person: Callable[..., Person]) -> Callable[..., Application]:
    """An open application to ``bank``: by a new person unless ``holder`` is given; filled in by the
    holder (an organisation's first admin) unless ``actor`` is given."""

    def make(bank: TimeBank, holder: Holder | None = None, *, actor: Person | None = None,
             referees: tuple[Referee, ...] = REFEREES, statement: str = "I can help with gardening.") -> Application:
        holder = holder if holder is not None else make_person("Applicant Person", postcode="HB3 2QT")
        return membership.apply(db_session, actor or _acting_person(holder), holder_id=holder.id,
                                time_bank_id=bank.id, statement=statement, referees=referees)

    return make


@pytest.fixture
def make_reference(db_session: Session) -> Callable[..., Reference]:
    """A referee the broker adds to the application and hears back from (``outcome``, today)."""

    def make(application: Application, broker: Person, outcome: ReferenceOutcome = ReferenceOutcome.SATISFACTORY,
             *, name: str = "Dafydd Price") -> Reference:
        reference = membership.add_reference(db_session, broker, application.id,
                                             Referee(name, "dafydd@example.org", "Former employer"))
        if outcome != ReferenceOutcome.AWAITED:
            membership.record_reference_outcome(db_session, broker, application.id, reference.id, outcome, uk_today())
        return reference

    return make


@pytest.fixture
def hear_from_referees(db_session: Session) -> Callable[..., list[Reference]]:
    """The broker records the same outcome for every referee named on the application."""

    def record(application: Application, broker: Person,
               outcome: ReferenceOutcome = ReferenceOutcome.SATISFACTORY) -> list[Reference]:
        for reference in application.references:
            membership.record_reference_outcome(db_session, broker, application.id, reference.id, outcome, uk_today())
        return list(application.references)

    return record


@pytest.fixture
def make_joined(
    db_session: Session,
    make_person: Callable[..., Person],
    make_application: Callable[..., Application],
    hear_from_referees: Callable[..., list[Reference]],
) -> Callable[..., tuple[Person, Application]]:
    """A resident who joined the whole way through: applied naming two referees, both satisfactory,
    approved by ``broker`` without an interview or a DBS check (approved anyway). They then hold an account
    in the bank."""

    def make(bank: TimeBank, broker: Person, name: str = "Joined Member", **kw: Any) -> tuple[Person, Application]:
        kw.setdefault("postcode", "HB3 2QT")
        person = make_person(name, **kw)
        application = make_application(bank, person)
        hear_from_referees(application, broker)
        return person, membership.approve(db_session, broker, application.id, approve_anyway=True)

    return make


@pytest.fixture
def audited(db_session: Session) -> Callable[[str], list[AuditEvent]]:
    """The audit events with this action recorded since this fixture was set up, oldest first. (Other
    tests may have committed events of their own, e.g. the demo loader.)"""
    since = db_session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0

    def events(action: str) -> list[AuditEvent]:
        return list(db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action, AuditEvent.id > since)
                                       .order_by(AuditEvent.id)))

    return events
