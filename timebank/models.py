"""Every feature's models, imported once so the mappers and Alembic see the whole schema."""

from timebank.audit.models import AuditEvent
from timebank.auth.models import ApiToken
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.ledger.models import Account, BalanceLimit, Exchange, ExchangeEvent, LedgerHead, Posting
from timebank.members.models import BankRole, Holder, Organisation, OrganisationAdmin, Person
from timebank.membership.models import Application, Reference, Vouch
from timebank.profiles.models import Ability, AvailabilitySlot, Contribution, Profile, SpokenLanguage, TravelDistrict
from timebank.safeguarding.models import DbsCheck, SafeguardingNote

__all__ = [
    "Ability",
    "Account",
    "ApiToken",
    "Application",
    "AuditEvent",
    "AvailabilitySlot",
    "BalanceLimit",
    "BankRole",
    "Category",
    "Contribution",
    "DbsCheck",
    "Exchange",
    "ExchangeEvent",
    "Holder",
    "LedgerHead",
    "Organisation",
    "OrganisationAdmin",
    "Person",
    "Posting",
    "Profile",
    "Reference",
    "SafeguardingNote",
    "SpokenLanguage",
    "TimeBank",
    "TravelDistrict",
    "Vouch",
]
