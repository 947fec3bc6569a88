"""What the benefit rules read, as plain values: the member's benefit profile and the evidence of one
stretch of their activity. The engine (``engine.py``) loads these from the database; the rules
(``rules/``) are pure functions of them, so each rule is tested with evidence written out by hand.

Money is whole pence, time whole minutes, dates UK calendar dates. Nothing here holds a name or a note
beyond what a flag must show a broker (who gave, for what), and nothing about health.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from timebank.receipts import RedeemedFor


class Benefit(enum.StrEnum):
    """The closed list of benefits a member may say they receive (``benefit-rules.md`` 5.2)."""

    UC = "uc"  # Universal Credit
    NS_JSA = "ns_jsa"  # New Style Jobseeker's Allowance
    NS_ESA = "ns_esa"  # New Style Employment and Support Allowance
    ESA_IR = "esa_ir"  # income-related ESA (legacy)
    PIP = "pip"  # Personal Independence Payment
    ADP = "adp"  # Adult Disability Payment (Scotland)
    DLA = "dla"  # Disability Living Allowance
    AA = "aa"  # Attendance Allowance
    CA = "ca"  # Carer's Allowance
    CSP = "csp"  # Carer Support Payment (Scotland)
    PC = "pc"  # Pension Credit
    HB = "hb"  # Housing Benefit
    CTR = "ctr"  # Council Tax Reduction
    SP = "sp"  # State Pension


ESA = frozenset({Benefit.NS_ESA, Benefit.ESA_IR})
CARERS = frozenset({Benefit.CA, Benefit.CSP})
MEANS_TESTED = frozenset({Benefit.UC, Benefit.PC, Benefit.HB, Benefit.CTR, Benefit.NS_JSA})


class UcWorkGroup(enum.StrEnum):
    """The Universal Credit work-related group (the claimant commitment's conditions)."""

    ALL_REQUIREMENTS = "all_requirements"
    WORK_PREPARATION = "work_preparation"
    WORK_FOCUSED_INTERVIEW = "work_focused_interview"
    NO_REQUIREMENTS = "no_requirements"
    LCW = "lcw"  # limited capability for work
    LCWRA = "lcwra"  # limited capability for work and work-related activity


class Jurisdiction(enum.StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class Severity(enum.StrEnum):
    """How soon a broker should look: ``HIGH`` likely counts as income or could end entitlement for the
    period; ``MEDIUM`` may be notional earnings or a conditionality issue; ``LOW`` a good-practice prompt;
    ``INFO`` record-keeping."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more urgent (for sorting and for "raised if")."""
        return {"high": 3, "medium": 2, "low": 1, "info": 0}[self.value]


class Counterparty(enum.StrEnum):
    """Who the member's time went to, as the rules tell them apart (from the holder and, for an
    organisation, its type)."""

    RESIDENT = "resident"
    REGISTERED_CHARITY = "registered_charity"
    VOLUNTARY_GROUP = "voluntary_group"
    SOCIAL_ENTERPRISE = "social_enterprise"
    PUBLIC_BODY = "public_body"
    BUSINESS = "business"
    #: The bank's community pot, or a holder the rules cannot place.
    OTHER = "other"


class Relationship(enum.StrEnum):
    """Whether help was given to someone in the member's household or a close relative (TB-09): asked on
    the exchange form, optional; ``NONE`` when not said."""

    NONE = "none"
    HOUSEHOLD = "household"
    CLOSE_RELATIVE = "close_relative"


@dataclass(frozen=True)
class Profile:
    """The member's benefit profile, decrypted: only what the rules need (``benefit-rules.md`` 4.3)."""

    benefits: frozenset[Benefit]
    jurisdiction: Jurisdiction = Jurisdiction.ENGLAND
    uc_work_group: UcWorkGroup | None = None
    #: Weekly hours of work search in the claimant commitment; the rules take 35 when not given.
    uc_expected_hours: int | None = None
    #: Weekly hours of voluntary work agreed in the claimant commitment, if any.
    agreed_voluntary_hours: int | None = None
    couple: bool = False
    #: When the member last told DWP or the council about their volunteering.
    last_told_on: dt.date | None = None
    #: The day the member's benefit week starts, 0 Monday … 6 Sunday.
    benefit_week_starts: int = 0
    #: The day of the month a UC assessment period starts (1 to 31); calendar months when not given.
    uc_assessment_day: int | None = None

    def has_any(self, benefits: frozenset[Benefit]) -> bool:
        return bool(self.benefits & benefits)


@dataclass(frozen=True)
class RoleFacts:
    """An activity's role the member gave time in or is booked on."""

    role_id: int
    title: str
    organisation_id: int
    organisation_name: str
    counterparty: Counterparty
    normally_paid: bool = False
    service_user_involvement: bool = False
    release_notice_hours: int = 0
    away_overnight: bool = False
    #: The activity the role belongs to: a payment for it makes the time given in it paid (TB-05, TB-07).
    activity_id: int | None = None


@dataclass(frozen=True)
class Given:
    """Time the member gave: a confirmed exchange on which their account is the giver, not reversed."""

    exchange_id: int
    occurred_on: dt.date
    minutes: int
    counterpart_holder_id: int | None
    counterpart_name: str
    counterparty: Counterparty
    category_code: str
    role: RoleFacts | None = None
    activity_session_id: int | None = None
    relationship: Relationship = Relationship.NONE


@dataclass(frozen=True)
class Redeemed:
    """Credits the member spent with a spend partner, and what they received."""

    redemption_id: int
    occurred_on: dt.date
    credit_minutes: int
    redeemed_for: RedeemedFor
    item: str
    face_value_pence: int | None
    partner_name: str


@dataclass(frozen=True)
class ExpensePaid:
    """Expenses an organisation paid the member."""

    expense_id: int
    paid_on: dt.date
    organisation_name: str
    kind: str  # money.models.ExpenseKind's value: mileage, travel, meals, care, other
    amount_paid_pence: int
    amount_receipted_pence: int
    receipts_count: int
    miles_tenths: int | None = None
    rate_per_mile_pence: int | None = None
    flat_rate: bool = False


@dataclass(frozen=True)
class PaymentReceived:
    """Money or a gift an organisation gave the member."""

    payment_id: int
    paid_on: dt.date
    organisation_name: str
    kind: str  # money.models.PaymentKind's value: fee, honorarium, gift, voucher, stipend
    amount_pence: int
    #: The payment was for a role tagged as service-user involvement (its easement is noted).
    service_user_involvement: bool = False
    #: The activity it was paid for, if the payment names one (``Payment.activity_id``).
    activity_id: int | None = None


@dataclass(frozen=True)
class Booking:
    """A place the member holds on an activity session (booked or attended)."""

    sign_up_id: int
    activity_session_id: int
    starts_on: dt.date
    ends_on: dt.date
    role: RoleFacts


@dataclass(frozen=True)
class Evidence:
    """Everything of one member's the rules read, between ``start`` and ``end`` (inclusive). The engine
    loads enough history for every window that ends in the span it evaluates (the rules' ``lookback``),
    and the whole tax year for cumulative mileage."""

    start: dt.date
    end: dt.date
    given: tuple[Given, ...] = ()
    redeemed: tuple[Redeemed, ...] = ()
    expenses: tuple[ExpensePaid, ...] = ()
    payments: tuple[PaymentReceived, ...] = ()
    bookings: tuple[Booking, ...] = ()
    #: Of the organisations (holder ids) in ``given``, those the member gave time to before ``start``: for
    #: "a first exchange with a new organisation" (TB-13).
    earlier_organisations: frozenset[int] = field(default_factory=frozenset)
