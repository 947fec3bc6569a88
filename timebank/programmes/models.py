"""Funders and the programmes they fund (issue 14).

Design note:

* A **funder** is an organisation that pays for time banks' work (a trust, a council's grants team, a
  health board); it holds no hours, so it is not a holder. Its **members** are the people who sign in for
  it: each sees the programmes of the funders they belong to, and nothing else.
* A **programme** funds work over a period (``starts_on`` to ``ends_on``), in one or more time banks, or
  in organisations or activities within them: its **scopes**. A scope names a bank and, optionally, an
  organisation or an activity of that bank (never both); a report reads the hours the scopes cover.
* A programme names the **outcomes** it funds: its own, or copied from a ready-made set (the seven
  well-being goals of the Well-being of Future Generations (Wales) Act 2015, ``programmes.outcome_sets``),
  each in English and Welsh. Organisations tag their activities and roles with the outcomes of the
  programmes that cover them (``activity_outcomes``, ``role_outcomes``); the report shows hours by outcome
  (an hour can serve more than one outcome, so that table does not add up to the total).
* The **social-value estimate** is hours × ``value_per_hour_pence``, shown with its source (in English, and
  in Welsh where given) and year; the
  **suppression threshold** (default 5) is the programme's, never below the house minimum.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import UTCDateTime, created_at, intpk

MAX_NAME = 200
MAX_DESCRIPTION = 4000
MAX_SOURCE = 300
MAX_OUTCOME_CODE = 40


class Funder(Base):
    __tablename__ = "funders"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(MAX_NAME), unique=True)
    name_cy: Mapped[str] = mapped_column(sa.String(MAX_NAME), default="", server_default="")
    created_at: Mapped[created_at]


class FunderMember(Base):
    """A person who signs in for a funder and reads its programmes' reports."""

    __tablename__ = "funder_members"

    funder_id: Mapped[int] = mapped_column(sa.ForeignKey("funders.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), primary_key=True, index=True)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[created_at]


class Programme(Base):
    __tablename__ = "programmes"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="programme_ends_after_start"),
        sa.CheckConstraint("value_per_hour_pence >= 0", name="programme_value_not_negative"),
        sa.CheckConstraint("suppress_below >= 5", name="programme_suppress_at_least_5"),
    )

    id: Mapped[intpk]
    funder_id: Mapped[int] = mapped_column(sa.ForeignKey("funders.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(MAX_NAME))
    name_cy: Mapped[str] = mapped_column(sa.String(MAX_NAME), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    #: The social-value estimate's value of an hour, in pence, with where the figure comes from and its year.
    value_per_hour_pence: Mapped[int] = mapped_column(default=0, server_default="0")
    value_source: Mapped[str] = mapped_column(sa.String(MAX_SOURCE), default="", server_default="")
    #: The source in Welsh, for the Welsh report (which shows the English, marked as English, where it is empty).
    value_source_cy: Mapped[str | None] = mapped_column(sa.String(MAX_SOURCE))
    value_year: Mapped[int | None]
    #: Counts of people from 1 up to (not including) this are shown as "fewer than N" (at least 5).
    suppress_below: Mapped[int] = mapped_column(default=5, server_default="5")
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=sa.func.now())


class ProgrammeScope(Base):
    """What a programme covers in one bank: the whole bank, one organisation's work in it, or one activity."""

    __tablename__ = "programme_scopes"
    __table_args__ = (
        sa.CheckConstraint("organisation_id IS NULL OR activity_id IS NULL", name="scope_one_level"),
        sa.Index("ix_programme_scopes_bank", "time_bank_id", "programme_id"),
    )

    id: Mapped[intpk]
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id"), index=True)
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activities.id"), index=True)
    created_at: Mapped[created_at]


class ProgrammeOutcome(Base):
    """One outcome a programme funds, its own or copied from a ready-made set (``set_code`` and ``code``)."""

    __tablename__ = "programme_outcomes"
    __table_args__ = (sa.UniqueConstraint("programme_id", "name"),)

    id: Mapped[intpk]
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id"), index=True)
    set_code: Mapped[str | None] = mapped_column(sa.String(MAX_OUTCOME_CODE))
    code: Mapped[str | None] = mapped_column(sa.String(MAX_OUTCOME_CODE))
    name: Mapped[str] = mapped_column(sa.String(MAX_NAME))
    name_cy: Mapped[str] = mapped_column(sa.String(MAX_NAME), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")


class ActivityOutcome(Base):
    """An organisation says its activity works towards a programme's outcome."""

    __tablename__ = "activity_outcomes"

    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id"), primary_key=True)
    outcome_id: Mapped[int] = mapped_column(sa.ForeignKey("programme_outcomes.id"), primary_key=True, index=True)


class RoleOutcome(Base):
    """An organisation says one role of its activity works towards a programme's outcome."""

    __tablename__ = "role_outcomes"

    role_id: Mapped[int] = mapped_column(sa.ForeignKey("roles.id"), primary_key=True)
    outcome_id: Mapped[int] = mapped_column(sa.ForeignKey("programme_outcomes.id"), primary_key=True, index=True)
