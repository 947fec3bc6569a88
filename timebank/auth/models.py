"""API bearer tokens.

Design note: a token is shown once and stored only as its SHA-256 (it is 256 random bits, so a slow
hash adds nothing). Its maker names it, chooses what it may do (``read``: GET requests only; ``write``:
everything the person may do) and when it stops working (1 to 365 days). Tokens are never deleted:
revoking one sets ``revoked_at``, and leaving revokes them all and wipes their names.

There is no "last used" time: stamping it would turn every API read into a database write (on SQLite a
read request's transaction would have to take the write lock), and a person deciding which token to
revoke has its name, scope and dates.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from timebank.db import Base
from timebank.members.models import Person
from timebank.types import UTCDateTime, created_at, intpk, str_enum

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
