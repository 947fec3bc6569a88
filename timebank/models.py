"""Every feature's models, imported once so the mappers and Alembic see the whole schema."""

from timebank.audit.models import AuditEvent
from timebank.auth.models import ApiToken
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.ledger.models import Account, BalanceLimit, Exchange, ExchangeEvent, LedgerHead, Posting
from timebank.members.models import BankRole, Holder, Organisation, OrganisationAdmin, Person

__all__ = [
    "Account",
    "ApiToken",
    "AuditEvent",
    "BalanceLimit",
    "BankRole",
    "Category",
    "Exchange",
    "ExchangeEvent",
    "Holder",
    "LedgerHead",
    "Organisation",
    "OrganisationAdmin",
    "Person",
    "Posting",
    "TimeBank",
]
