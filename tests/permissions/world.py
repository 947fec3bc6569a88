"""The world the permission table is checked in: one bank, one person per role, and one of each thing
a route can name. The table in ``docs/permissions.md`` says what each role gets for each route when the
route's ids name the things built here.

* **resident**: a member of the bank who is not a party to the exchange, not the subject and not the
  applicant.
* **organisation admin**: acts for the organisation, which is a party to the exchange.
* **broker**: brokers the bank. **funder**: funds the bank and holds no account. **admin**: runs the install.
* The subject (``holder_id``, ``person_id``, ``account_id``) is another resident of the bank; the
  application (``application_id``, ``reference_id``) is a newcomer's open application; the bank uses
  community vouching, so members may read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from timebank.auth import tokens
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.exchanges import service as exchanges
from timebank.exchanges.service import Proposal, Side
from timebank.ledger.service import uk_today
from timebank.members import service as members
from timebank.members.models import BankRoleName, ContactMethod, Language, OrganisationType, Person
from timebank.membership import service as membership
from timebank.membership.service import Referee, SignUp
from timebank.profiles import service as profiles
from timebank.profiles.models import ContributionKind

PASSWORD = "correct horse battery"
ROLES = ("anonymous", "resident", "organisation admin", "broker", "funder", "admin")


@dataclass
class World:
    #: Each role's email (``None``: anonymous) and bearer token.
    emails: dict[str, str | None]
    tokens: dict[str, str | None]
    ids: dict[str, int]

    def bodies(self) -> dict[tuple[str, str], dict[str, Any]]:
        """A valid JSON body for each API write whose body is checked before access: with it, a role
        that is let in gets past validation and is refused (if at all) for who they are."""
        ids, today = self.ids, uk_today().isoformat()
        organisation = {"display_name": "Permissions Charity", "organisation_type": "charity",
                        "charity_number": "1234567"}
        return {
            ("POST", "/api/v1/applications/<application_id>/decline"): {"note": "Not this time"},
            ("POST", "/api/v1/applications/<application_id>/interview"): {"interview_on": today},
            ("POST", "/api/v1/applications/<application_id>/references"): {
                "name": "Rita Ref", "contact": "01632 960001"},
            ("PUT", "/api/v1/applications/<application_id>/references/<reference_id>"): {
                "outcome": "satisfactory", "outcome_on": today},
            ("PUT", "/api/v1/banks/<bank_id>/settings"): {
                "vouching_enabled": True, "vouches_needed": 2, "dbs_renewal_months": 24},
            ("POST", "/api/v1/banks/<bank_id>/staff"): {"email": "resident@perm.example", "role": "funder"},
            ("POST", "/api/v1/exchanges"): {
                "account_id": ids["organisation_account_id"], "side": "recipient",
                "counterpart_account_id": ids["account_id"], "minutes": 30, "occurred_on": today,
                "category": "gardening", "description": "", "idempotency_key": "permissions-api"},
            ("POST", "/api/v1/exchanges/<exchange_id>/reverse"): {"reason": "Recorded twice"},
            ("PUT", "/api/v1/organisations/<organisation_id>"): organisation,
            ("POST", "/api/v1/organisations/<organisation_id>/admins"): {"email": "resident@perm.example"},
            ("POST", "/api/v1/organisations/<organisation_id>/contributions"): {
                "kind": "room", "description": "A hall"},
            ("POST", "/api/v1/people"): {
                "display_name": "Olwen Offline", "postcode": "HB3 2QT", "contact_by": "broker",
                "time_bank_id": ids["bank_id"]},
            ("PUT", "/api/v1/people/<person_id>/contact"): {
                "display_name": "Sian Subject", "email": "subject@perm.example", "contact_by": "email",
                "preferred_language": "en"},
            ("POST", "/api/v1/people/<person_id>/dbs-checks"): {
                "time_bank_id": ids["bank_id"], "level": "basic", "issued_on": today},
            ("POST", "/api/v1/people/<person_id>/safeguarding-notes"): {
                "time_bank_id": ids["bank_id"], "body": "Met at the hall."},
        }

    def query(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Query parameters a route needs before it decides access."""
        return {("GET", "/api/v1/people/<person_id>/safeguarding"): {"time_bank_id": self.ids["bank_id"]}}


def _person(session: Session, name: str, email: str) -> Person:
    return members.create_person(session, display_name=name, email=email, password=PASSWORD, postcode="HB1 1AA")


def build(session: Session) -> World:
    bank: TimeBank = banks.create_bank(session, slug="permissions", name="Permissions Time Bank",
                                       agency_name="Permissions Action", actor_id=None)
    bank.vouching_enabled = True
    admin = _person(session, "Ada Admin", "admin@perm.example")
    admin.is_admin = True
    resident = _person(session, "Rhys Resident", "resident@perm.example")
    subject = _person(session, "Sian Subject", "subject@perm.example")
    org_admin = _person(session, "Owen Orgadmin", "orgadmin@perm.example")
    broker = _person(session, "Beth Broker", "broker@perm.example")
    funder = _person(session, "Fred Funder", "funder@perm.example")
    for person in (resident, subject):
        members.join_bank(session, person, bank.id, actor_id=None)
    organisation = members.create_organisation(session, display_name="Permissions Charity",
                                               organisation_type=OrganisationType.CHARITY, admin_ids=(org_admin.id,))
    members.join_bank(session, organisation, bank.id, actor_id=None)
    banks.grant_role(session, time_bank_id=bank.id, person_id=broker.id, role=BankRoleName.BROKER, actor_id=None)
    funder_role = banks.grant_role(session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER,
                                   actor_id=None)
    profiles.update_profile(session, subject, subject.id, profiles.ProfileUpdate(abilities=("gardening",)))
    profiles.update_profile(session, org_admin, organisation.id, profiles.ProfileUpdate(abilities=("cooking",)))
    contribution = profiles.add_contribution(session, org_admin, organisation.id, ContributionKind.ROOM,
                                             "The hall on Tuesdays")
    subject_account = exchanges.accounts_to_act_for(session, subject)[0].account
    organisation_account = exchanges.accounts_to_act_for(session, org_admin)[0].account
    exchange, _ = exchanges.propose(session, subject, Proposal(
        account_id=subject_account.id, side=Side.PROVIDER, counterpart_account_id=organisation_account.id,
        minutes=60, occurred_on=uk_today() - dt.timedelta(days=1), category="gardening", description="",
        idempotency_key="permissions-world",
    ))
    _, application = membership.sign_up(session, SignUp(
        display_name="Alys Applicant", email="applicant@perm.example", password=PASSWORD, phone=None,
        postcode="HB2 2BB", preferred_language=Language.ENGLISH, contact_by=ContactMethod.EMAIL,
        time_bank_id=bank.id, statement="Gardening", referees=(Referee("Rob Referee", "rob@perm.example"),),
    ))
    people: dict[str, Person | None] = {
        "anonymous": None, "resident": resident, "organisation admin": org_admin, "broker": broker,
        "funder": funder, "admin": admin,
    }
    issued = {role: tokens.issue_token(session, person, dt.timedelta(hours=1))[0] if person else None
              for role, person in people.items()}
    emails = {role: person.email if person else None for role, person in people.items()}
    ids: dict[str, Any] = {
        "bank_id": bank.id, "holder_id": subject.id, "person_id": subject.id, "account_id": subject_account.id,
        "organisation_id": organisation.id, "exchange_id": exchange.id, "application_id": application.id,
        "reference_id": application.references[0].id, "role_id": funder_role.id,
        "contribution_id": contribution.id, "organisation_account_id": organisation_account.id,
        "organisation_admin_id": org_admin.id,
    }
    session.commit()
    return World(emails=emails, tokens=issued, ids=ids)
