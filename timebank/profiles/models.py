"""Profiles: what a member can do, would like to learn or share, and would enjoy. Never what they need.

Design note:

* Co-production starts from abilities. A profile holds abilities (codes from the category tree, plus
  the member's own words), languages spoken, a weekly availability grid, how far they can travel, and
  what they would enjoy. **No column records needs, conditions or problems**: help is asked for per
  occasion, never stored as a deficit profile.
* One profile per holder. Organisations have one too (what they offer), plus ``Contribution`` rows for
  what they bring besides hours: rooms, equipment, training, staff time, funds.
* Privacy is the member's choice, per part (name, area, abilities, contact). Brokers see everything
  in their banks; other members see only what the member chose to show.
* ``search_text`` is derived (ability labels in English and Welsh, plus the free text) and rewritten by
  ``profiles.service`` whenever the profile changes; PostgreSQL indexes it for full-text search.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from timebank.db import Base
from timebank.types import UTCDateTime, created_at, intpk, str_enum, utcnow

#: Longest free-text answer on a profile, in characters.
MAX_PROFILE_TEXT = 2000


class Period(enum.StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class ContributionKind(enum.StrEnum):
    ROOM = "room"
    EQUIPMENT = "equipment"
    TRAINING = "training"
    STAFF_TIME = "staff_time"
    FUNDS = "funds"
    OTHER = "other"


class AgeBand(enum.StrEnum):
    """A member's age, in the bands reports use (optional; reported only with their consent)."""

    UNDER_25 = "under_25"
    FROM_25_TO_34 = "25_34"
    FROM_35_TO_49 = "35_49"
    FROM_50_TO_64 = "50_64"
    FROM_65_TO_74 = "65_74"
    FROM_75 = "75_plus"


class Profile(Base):
    __tablename__ = "profiles"
    __table_args__ = (
        # Full-text search on PostgreSQL; SQLite searches with LIKE (see ``profiles.search``).
        sa.Index("ix_profiles_search", sa.text("to_tsvector('english', search_text)"),
                 postgresql_using="gin").ddl_if(dialect="postgresql"),
        # Matching reads the two columns it needs from the index, not the wide rows (PostgreSQL: INCLUDE).
        sa.Index("ix_profiles_matching", "holder_id", postgresql_include=["open_to_introductions", "can_travel"]),
        # Matching counts the few who opted out of suggestions without reading every profile.
        sa.Index("ix_profiles_opted_out", "holder_id", postgresql_where=sa.text("NOT open_to_introductions"),
                 sqlite_where=sa.text("NOT open_to_introductions")),
        # Reports find the members who agreed to be counted without reading every profile.
        sa.Index("ix_profiles_in_reports", "holder_id", postgresql_where=sa.text("in_reports_at IS NOT NULL"),
                 sqlite_where=sa.text("in_reports_at IS NOT NULL")),
    )

    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("holders.id"), primary_key=True)
    #: "What I can do", in the member's own words.
    about: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: "What I'd like to learn or share".
    learn_or_share: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    experience: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: "What I'd enjoy doing".
    enjoys: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: ``False``: the member helps from home or by phone only ("not at all" on the form).
    can_travel: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # What other members may see. Brokers in the member's banks always see everything.
    show_name: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    show_area: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    show_abilities: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    show_contact: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: ``False``: the member asked brokers not to suggest them for requests and roles (matching leaves
    #: them out and says how many it left out for this reason).
    open_to_introductions: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: Optional, for funders' reports only: counted (never shown one by one) only while ``in_reports_at`` is set.
    age_band: Mapped[AgeBand | None] = mapped_column(str_enum(AgeBand, "age_band"))
    #: When the member agreed that their age band and postcode district may be counted in reports; NULL: not.
    in_reports_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: Derived: ability labels (English and Welsh) and the free text, for search.
    search_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=sa.func.now()
    )

    abilities: Mapped[list[Ability]] = relationship(cascade="all, delete-orphan", order_by="Ability.category_id")
    languages: Mapped[list[SpokenLanguage]] = relationship(cascade="all, delete-orphan",
                                                           order_by="SpokenLanguage.code")
    availability: Mapped[list[AvailabilitySlot]] = relationship(cascade="all, delete-orphan")
    travel_districts: Mapped[list[TravelDistrict]] = relationship(cascade="all, delete-orphan",
                                                                  order_by="TravelDistrict.district")


class Ability(Base):
    """Something the member can do or offer, from the category tree."""

    __tablename__ = "abilities"

    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("profiles.holder_id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"), primary_key=True, index=True)


class SpokenLanguage(Base):
    """A language the member speaks or signs; codes from ``profiles.languages``."""

    __tablename__ = "spoken_languages"

    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("profiles.holder_id"), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8), primary_key=True, index=True)


class AvailabilitySlot(Base):
    """One cell of the weekly grid: a weekday (0 = Monday) and part of the day."""

    __tablename__ = "availability_slots"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        # Matching: who is free at a session's time, without reading everyone's grid.
        sa.Index("ix_availability_slots_slot", "weekday", "period", "holder_id"),
    )

    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("profiles.holder_id"), primary_key=True)
    weekday: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[Period] = mapped_column(str_enum(Period, "period"), primary_key=True)


class TravelDistrict(Base):
    """A postcode district the member will travel to, besides their own."""

    __tablename__ = "travel_districts"

    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("profiles.holder_id"), primary_key=True)
    district: Mapped[str] = mapped_column(sa.String(4), primary_key=True, index=True)


class Contribution(Base):
    """What an organisation brings besides hours: a room, equipment, training, staff time, funds."""

    __tablename__ = "contributions"

    id: Mapped[intpk]
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    kind: Mapped[ContributionKind] = mapped_column(str_enum(ContributionKind, "contribution_kind"))
    description: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[created_at]
