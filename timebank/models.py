"""Every feature's models, imported once so the mappers and Alembic see the whole schema."""

from timebank.activities.models import (
    Activity,
    ActivityPartner,
    ActivitySession,
    CalendarFeed,
    InKindContribution,
    Role,
    RoleAbility,
    SignUp,
)
from timebank.audit.models import AuditEvent
from timebank.auth.models import ApiToken
from timebank.banks.models import TimeBank
from timebank.benefits.models import BenefitAccess, BenefitConsent, BenefitFlag, BenefitFlagEvent, BenefitProfile
from timebank.brokerage.models import BrokerNote, Introduction, MatchWeights, Message
from timebank.categories.models import Category
from timebank.exchanges.models import Dispute
from timebank.feedback.models import FeedbackAnswer
from timebank.imports.models import TimesheetImport
from timebank.jobs.models import Job
from timebank.ledger.models import (
    Account,
    AccountMonthFact,
    AccountYearFact,
    BalanceLimit,
    Exchange,
    ExchangeEvent,
    ExchangeMonthFact,
    LedgerHead,
    Posting,
)
from timebank.listings.models import Listing
from timebank.mail.models import EmailPreference, OutboundEmail
from timebank.members.models import BankRole, Holder, Organisation, OrganisationAdmin, Person
from timebank.membership.models import Application, Reference, Vouch
from timebank.money.models import Expense, Payment, Redemption
from timebank.notices.models import Notice
from timebank.profiles.models import Ability, AvailabilitySlot, Contribution, Profile, SpokenLanguage, TravelDistrict
from timebank.programmes.models import (
    ActivityOutcome,
    Funder,
    FunderMember,
    Programme,
    ProgrammeOutcome,
    ProgrammeScope,
    RoleOutcome,
)
from timebank.safeguarding.models import DbsCheck, SafeguardingNote

__all__ = [
    "Ability",
    "Account",
    "AccountMonthFact",
    "AccountYearFact",
    "Activity",
    "ActivityOutcome",
    "ActivityPartner",
    "ActivitySession",
    "ApiToken",
    "Application",
    "AuditEvent",
    "AvailabilitySlot",
    "BalanceLimit",
    "BankRole",
    "BenefitAccess",
    "BenefitConsent",
    "BenefitFlag",
    "BenefitFlagEvent",
    "BenefitProfile",
    "BrokerNote",
    "CalendarFeed",
    "Category",
    "Contribution",
    "DbsCheck",
    "Dispute",
    "EmailPreference",
    "Exchange",
    "ExchangeEvent",
    "ExchangeMonthFact",
    "Expense",
    "FeedbackAnswer",
    "Funder",
    "FunderMember",
    "Holder",
    "InKindContribution",
    "Introduction",
    "Job",
    "LedgerHead",
    "Listing",
    "MatchWeights",
    "Message",
    "Notice",
    "Organisation",
    "OrganisationAdmin",
    "OutboundEmail",
    "Payment",
    "Person",
    "Posting",
    "Profile",
    "Programme",
    "ProgrammeOutcome",
    "ProgrammeScope",
    "Redemption",
    "Reference",
    "Role",
    "RoleAbility",
    "RoleOutcome",
    "SafeguardingNote",
    "SignUp",
    "SpokenLanguage",
    "TimeBank",
    "TimesheetImport",
    "TravelDistrict",
    "Vouch",
]
