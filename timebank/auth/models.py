"""API bearer tokens.

Design note: a token is shown once and stored only as its SHA-256 (it is 256 random bits, so a slow
hash adds nothing). Tokens expire and can be revoked; revocation is a timestamp, not a delete.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from timebank.db import Base
from timebank.members.models import Person
from timebank.types import UTCDateTime, created_at, intpk


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[created_at]
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship(lazy="joined")
