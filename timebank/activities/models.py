"""Co-delivery activities: what organisations run with residents, the roles in them, their sessions,
who signed up and who came.

Design note — the invariants:

* An **activity** belongs to one time bank and is published by one organisation (a third-sector group
  or public body with an account there); partner organisations are listed beside it. It records its
  **form of co-production** and its **cell in the co-production matrix** (who designs × who delivers),
  which funder reports group hours by. Its title and summary, and its roles' titles and descriptions, may
  also be given in Welsh (``*_cy``, optional): Welsh pages show the Welsh where given, else the English
  marked ``lang="en"`` (``timebank.i18n.in_language``).
* A **role** is what a resident does in the activity. It carries the facts the benefit rules read
  (``normally_paid``, ``service_user_involvement``, ``release_notice_hours``, ``away_overnight``), the
  clearance a volunteer needs (derived from safeguarding records, never typed in), and its direction:
  residents *give* time and earn credits, or — for a spend partner's time-for-time offer — *spend*
  credits to take part.
* A **session** is one occasion of a role (start, end, place or remote) with a number of places.
* A **sign-up** is a person on a session: booked, on the waiting list, cancelled, attended or absent.
  One live sign-up per person per session (partial UNIQUE index). Marking attendance records and
  confirms one exchange per attendee through ``ledger.service``; the sign-up keeps the exchange's id
  (UNIQUE), so nobody is credited twice for one session. The one exception is someone who came without
  the clearance the role needs on that day, where the bank allows it: attended, ``without_credits``,
  and no exchange (CHECK constraints hold both ways).
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from timebank.db import Base
from timebank.profiles.models import ContributionKind
from timebank.safeguarding.clearances import Clearance
from timebank.types import UTCDateTime, created_at, intpk, str_enum, utcnow

MAX_TITLE = 200
MAX_PLACE = 200
#: The most places one session can offer; bigger events are split into several sessions.
MAX_PLACES = 500
#: A week's notice is the longest the benefit rules ask about; anything longer is recorded as given.
MAX_RELEASE_NOTICE_HOURS = 24 * 60


class CoProductionForm(enum.StrEnum):
    CO_PLANNING = "co_planning"
    CO_DESIGN = "co_design"
    CO_COMMISSIONING = "co_commissioning"
    CO_MANAGING = "co_managing"
    CO_DELIVERING = "co_delivering"
    CO_MONITORING = "co_monitoring"
    CO_EVALUATING = "co_evaluating"


class Party(enum.StrEnum):
    """One axis value of the co-production matrix (Carnegie Trust, 2006)."""

    PROFESSIONALS = "professionals"
    #: Professionals with users and the community.
    SHARED = "shared"
    COMMUNITY = "community"


class ActivityStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class RoleDirection(enum.StrEnum):
    #: Residents give their time and earn credits from the organisation.
    GIVES = "gives"
    #: Residents spend credits to take part (a spend partner's swim, class or seat).
    SPENDS = "spends"


class SignUpStatus(enum.StrEnum):
    BOOKED = "booked"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    ABSENT = "absent"


LIVE_SIGN_UP_SQL = "status <> 'cancelled'"


#: A key chosen by the form or API client, so a double-submitted create makes one row (UNIQUE per creator
#: or parent; a replay returns the first row).
MAX_IDEMPOTENCY_KEY = 100
MAX_IN_KIND_DESCRIPTION = 500


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (sa.UniqueConstraint("created_by_id", "idempotency_key"),)

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), index=True)
    #: The organisation that runs it and whose account gives (or receives) the hours.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(MAX_TITLE))
    #: The title in Welsh, for Welsh pages; ``None``: they show the English, marked as English.
    title_cy: Mapped[str | None] = mapped_column(sa.String(MAX_TITLE))
    summary: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The summary in Welsh (``None``: none given).
    summary_cy: Mapped[str | None] = mapped_column(sa.Text)
    form: Mapped[CoProductionForm] = mapped_column(str_enum(CoProductionForm, "co_production_form"))
    #: The matrix's design axis: professionals alone, shared, or users and community alone.
    designed_by: Mapped[Party] = mapped_column(str_enum(Party, "designed_by"))
    #: The matrix's delivery axis.
    delivered_by: Mapped[Party] = mapped_column(str_enum(Party, "delivered_by"))
    #: Where it usually happens; each session can say otherwise.
    place: Mapped[str] = mapped_column(sa.String(MAX_PLACE), default="", server_default="")
    status: Mapped[ActivityStatus] = mapped_column(
        str_enum(ActivityStatus, "activity_status"), default=ActivityStatus.DRAFT
    )
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(MAX_IDEMPOTENCY_KEY))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=sa.func.now()
    )

    roles: Mapped[list[Role]] = relationship(back_populates="activity", order_by="Role.id")
    partners: Mapped[list[ActivityPartner]] = relationship(back_populates="activity")


class ActivityPartner(Base):
    """Another organisation that co-delivers the activity (it contributes, but does not keep the books)."""

    __tablename__ = "activity_partners"

    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), primary_key=True, index=True)

    activity: Mapped[Activity] = relationship(back_populates="partners")


class Role(Base):
    __tablename__ = "roles"
    __table_args__ = (
        sa.CheckConstraint(f"places BETWEEN 1 AND {MAX_PLACES}", name="places_in_range"),
        sa.CheckConstraint(
            f"release_notice_hours BETWEEN 0 AND {MAX_RELEASE_NOTICE_HOURS}", name="release_notice_in_range"
        ),
        sa.CheckConstraint("credit_minutes IS NULL OR credit_minutes BETWEEN 1 AND 1440", name="credit_in_range"),
        sa.UniqueConstraint("activity_id", "idempotency_key"),
    )

    id: Mapped[intpk]
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(MAX_TITLE))
    #: The role's name in Welsh, for Welsh pages; ``None``: they show the English, marked as English.
    title_cy: Mapped[str | None] = mapped_column(sa.String(MAX_TITLE))
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The description in Welsh (``None``: none given).
    description_cy: Mapped[str | None] = mapped_column(sa.Text)
    #: The category every exchange from this role is recorded under.
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"))
    direction: Mapped[RoleDirection] = mapped_column(
        str_enum(RoleDirection, "role_direction"), default=RoleDirection.GIVES
    )
    #: Places in each new session (each session keeps its own number).
    places: Mapped[int] = mapped_column(default=1)
    #: Credits per attended session; ``None`` means the session's length.
    credit_minutes: Mapped[int | None]
    #: The clearance a volunteer needs, from references and DBS checks; ``None`` for none.
    clearance: Mapped[Clearance | None] = mapped_column(str_enum(Clearance, "role_clearance"))
    #: "Would you normally pay someone to do this?" (benefit rule TB-08).
    normally_paid: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: People who use the service helping shape it (payments to them have an easement; TB-04).
    service_user_involvement: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: How many hours' notice a volunteer must give to drop a session (TB-12).
    release_notice_hours: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Whether it involves nights away from home (TB-12).
    away_overnight: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(MAX_IDEMPOTENCY_KEY))
    created_at: Mapped[created_at]

    activity: Mapped[Activity] = relationship(back_populates="roles")
    abilities: Mapped[list[RoleAbility]] = relationship(back_populates="role")
    sessions: Mapped[list[ActivitySession]] = relationship(
        back_populates="role", order_by="ActivitySession.starts_at"
    )


class RoleAbility(Base):
    """An ability the role wants (a category code from the same tree as profiles)."""

    __tablename__ = "role_abilities"

    role_id: Mapped[int] = mapped_column(sa.ForeignKey("roles.id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"), primary_key=True, index=True)

    role: Mapped[Role] = relationship(back_populates="abilities")


class ActivitySession(Base):
    __tablename__ = "activity_sessions"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint(f"places BETWEEN 1 AND {MAX_PLACES}", name="places_in_range"),
        sa.CheckConstraint(
            "(attendance_marked_at IS NULL) = (attendance_marked_by_id IS NULL)", name="marked_by_whom"
        ),
        sa.Index("ix_activity_sessions_role_starts", "role_id", "starts_at"),
        sa.UniqueConstraint("role_id", "idempotency_key"),
    )

    id: Mapped[intpk]
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("roles.id"))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    #: Where to go; blank means the activity's usual place.
    place: Mapped[str] = mapped_column(sa.String(MAX_PLACE), default="", server_default="")
    is_remote: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    places: Mapped[int]
    #: Set when the organisation cancels the whole session.
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    attendance_marked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    attendance_marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    #: The series' key and the session's place in it ("<key>:3"), so a resent series makes nothing new.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(MAX_IDEMPOTENCY_KEY + 4))
    created_at: Mapped[created_at]

    role: Mapped[Role] = relationship(back_populates="sessions")
    sign_ups: Mapped[list[SignUp]] = relationship(back_populates="activity_session", order_by="SignUp.id")

    @property
    def length_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SignUp(Base):
    __tablename__ = "sign_ups"
    __table_args__ = (
        sa.Index(
            "ux_sign_ups_one_live", "session_id", "person_id", unique=True,
            sqlite_where=sa.text(LIVE_SIGN_UP_SQL), postgresql_where=sa.text(LIVE_SIGN_UP_SQL),
        ),
        sa.CheckConstraint("(status = 'attended' AND NOT without_credits) = (exchange_id IS NOT NULL)",
                           name="attended_iff_exchange"),
        sa.CheckConstraint("NOT without_credits OR status = 'attended'", name="without_credits_only_attended"),
        sa.CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_iff_when"),
        sa.UniqueConstraint("exchange_id"),
    )

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("activity_sessions.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    status: Mapped[SignUpStatus] = mapped_column(str_enum(SignUpStatus, "sign_up_status"))
    #: The person themselves, or a broker signing up someone who is not online.
    signed_up_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: Cancelled with less notice than the role asks for (recorded, never penalised).
    cancelled_late: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Came, but recorded with no credits: the role needs a clearance they did not hold on the day, and
    #: the bank lets organisers record that (``TimeBank.attendance_without_clearance``).
    without_credits: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: The confirmed exchange that credited (or charged) this attendance.
    exchange_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exchanges.id"))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=sa.func.now()
    )

    activity_session: Mapped[ActivitySession] = relationship(back_populates="sign_ups")


class CalendarFeed(Base):
    """A member's private iCalendar address. Only the SHA-256 of the secret is kept; a new one can be
    made at any time, which stops the old address working."""

    __tablename__ = "calendar_feeds"

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), unique=True)
    token_sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[created_at]


class InKindContribution(Base):
    """What an organisation gave besides hours, on a day: a room, equipment, training, staff time, funds
    (issue 14). Recorded by the organisation's admins (or a broker) for a bank and, optionally, one of its
    activities; funders' reports count them by kind, with the hours and the value the organisation gave."""

    __tablename__ = "in_kind_contributions"
    __table_args__ = (
        sa.CheckConstraint("minutes IS NULL OR minutes > 0", name="in_kind_minutes_positive"),
        sa.CheckConstraint("value_pence IS NULL OR value_pence >= 0", name="in_kind_value_not_negative"),
        sa.Index("ix_in_kind_bank_on", "time_bank_id", "given_on"),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activities.id"), index=True)
    kind: Mapped[ContributionKind] = mapped_column(str_enum(ContributionKind, "in_kind_kind"))
    description: Mapped[str] = mapped_column(sa.String(MAX_IN_KIND_DESCRIPTION))
    given_on: Mapped[dt.date]
    #: Staff time or a room's use, in minutes, where the kind has a duration.
    minutes: Mapped[int | None]
    #: What the organisation says it is worth, in pence (funds: the amount).
    value_pence: Mapped[int | None] = mapped_column(sa.BigInteger)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[created_at]
