"""API bearer tokens and single-use links for setting a password.

Design note:

* A token or link is a secret shown once and stored only as its SHA-256 (``timebank.digests``): a token
  is 256 random bits and a link's code 100 (short enough to read out over the phone), neither guessable,
  so a slow hash adds nothing. Nothing is deleted: a token is revoked and a link is used or revoked by a
  timestamp, so the record of who could sign in, and when, stays whole.
* A **token**'s maker names it, chooses what it may do (``read``: GET requests only; ``write``: everything
  the person may do) and when it stops working (1 to 365 days). Leaving revokes them all and wipes their
  names. There is no "last used" time: stamping it would turn every API read into a database write (on
  SQLite a read request's transaction would have to take the write lock), and a person deciding which
  token to revoke has its name, scope and dates.
* A **password link** lets one person choose a password, once, before it expires: ``set_up`` for someone
  who has never had one (a member a broker enrolled), ``reset`` for someone who has forgotten theirs.
  Only a broker of the person's bank (or an admin) makes one, and hands it over themselves.
* **At most one live link per person** (unused and not revoked; a partial UNIQUE index): making a new one
  revokes the old, so a link written on paper last week stops working when another is made.
* A link is used or revoked, never both (CHECK), and expires after it was made (CHECK).
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from timebank.db import Base
from timebank.members.models import Person
from timebank.types import UTCDateTime, created_at, intpk, str_enum

_LIVE_LINK_SQL = "used_at IS NULL AND revoked_at IS NULL"
#: The longest name a token may have.
MAX_NAME_LENGTH = 100


class TokenScope(enum.StrEnum):
    #: GET (and HEAD) requests only: reading, never changing anything.
    READ = "read"
    #: Anything the person may do.
    WRITE = "write"


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (sa.CheckConstraint("name <> ''", name="name_given"),)

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Chosen by its maker, to tell their tokens apart ("Allotment spreadsheet").
    name: Mapped[str] = mapped_column(sa.String(MAX_NAME_LENGTH))
    scope: Mapped[TokenScope] = mapped_column(str_enum(TokenScope, "api_token_scope"))
    created_at: Mapped[created_at]
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship(lazy="joined")


class PasswordLinkPurpose(enum.StrEnum):
    #: The person has never had a password (a broker enrolled them).
    SET_UP = "set_up"
    #: The person had a password and has forgotten it.
    RESET = "reset"


class PasswordLink(Base):
    __tablename__ = "password_links"
    __table_args__ = (
        sa.Index("ux_password_links_one_live", "person_id", unique=True,
                 sqlite_where=sa.text(_LIVE_LINK_SQL), postgresql_where=sa.text(_LIVE_LINK_SQL)),
        sa.CheckConstraint("expires_at > created_at", name="expires_after_made"),
        sa.CheckConstraint("used_at IS NULL OR revoked_at IS NULL", name="used_or_revoked"),
    )

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    purpose: Mapped[PasswordLinkPurpose] = mapped_column(str_enum(PasswordLinkPurpose, "password_link_purpose"))
    #: SHA-256 of the secret in the link; the secret itself is never stored.
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The broker or admin who made it.
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    #: Set by the service (not the database) so that it and ``expires_at`` come from one clock.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: A newer link was made, the password changed another way, or the person left.
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
