"""Holders: the people and organisations that hold time accounts, and the roles people play.

Design note:

* ``Holder`` is the one thing an account belongs to. It is either a ``Person`` (who may also sign in) or
  an ``Organisation`` (third-sector group, public body or business). Joined-table inheritance keeps each
  kind's own columns in its own table.
* A person's roles: a resident holds accounts; an organisation admin acts for an organisation
  (``OrganisationAdmin``); a broker or funder has a ``BankRole`` in a bank; an admin runs the install.
* People who are not online have no email and no password; a broker acts for them.
* ``session_version`` ends sessions: every signed-in browser carries the value it signed in with, and
  signing out, a new password or leaving moves it on, so every older session stops working at once,
  on every device (see ``timebank.auth.sessions``).
* Holders are never deleted; a member who leaves is pseudonymised so the books stay whole.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from timebank.db import Base
from timebank.ledger.models import HolderKind
from timebank.types import UTCDateTime, created_at, intpk, str_enum

#: The longest email address there can be (RFC 5321's path limit).
MAX_EMAIL = 254

class HolderType(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class OrganisationType(enum.StrEnum):
    CHARITY = "charity"
    VOLUNTARY_GROUP = "voluntary_group"
    SOCIAL_ENTERPRISE = "social_enterprise"
    COUNCIL = "council"
    NHS = "nhs"
    SCHOOL = "school"
    POLICE = "police"
    OTHER_PUBLIC_BODY = "other_public_body"
    BUSINESS = "business"


#: Which ledger holder kind each organisation type is.
ORGANISATION_KIND: dict[OrganisationType, HolderKind] = {
    OrganisationType.CHARITY: HolderKind.THIRD_SECTOR,
    OrganisationType.VOLUNTARY_GROUP: HolderKind.THIRD_SECTOR,
    OrganisationType.SOCIAL_ENTERPRISE: HolderKind.THIRD_SECTOR,
    OrganisationType.COUNCIL: HolderKind.PUBLIC_BODY,
    OrganisationType.NHS: HolderKind.PUBLIC_BODY,
    OrganisationType.SCHOOL: HolderKind.PUBLIC_BODY,
    OrganisationType.POLICE: HolderKind.PUBLIC_BODY,
    OrganisationType.OTHER_PUBLIC_BODY: HolderKind.PUBLIC_BODY,
    OrganisationType.BUSINESS: HolderKind.BUSINESS,
}


class Language(enum.StrEnum):
    ENGLISH = "en"
    WELSH = "cy"


class BankRoleName(enum.StrEnum):
    BROKER = "broker"
    FUNDER = "funder"


class ContactMethod(enum.StrEnum):
    """How a person likes to be contacted. ``BROKER`` is for people with no email or phone of their own:
    the time bank passes messages on."""

    EMAIL = "email"
    PHONE = "phone"
    TEXT = "text"
    BROKER = "broker"


class Holder(Base):
    __tablename__ = "holders"

    id: Mapped[intpk]
    type: Mapped[HolderType] = mapped_column(str_enum(HolderType, "holder_type"))
    display_name: Mapped[str] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    #: A full UK postcode, upper case with one space ("HB3 2QT"); see ``members.postcodes``.
    postcode: Mapped[str | None] = mapped_column(sa.String(8))
    #: The postcode's outward code ("HB3"): the area shown to other members and searched by.
    postcode_district: Mapped[str | None] = mapped_column(sa.String(4), index=True)
    created_at: Mapped[created_at]
    #: Set when a member leaves and their personal data is wiped.
    pseudonymised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __mapper_args__ = {"polymorphic_on": "type"}

    @property
    def holder_kind(self) -> HolderKind:
        raise NotImplementedError


class Person(Holder):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(sa.ForeignKey("holders.id"), primary_key=True)
    #: Lower-cased. ``None`` for members who are not online.
    email: Mapped[str | None] = mapped_column(sa.String(MAX_EMAIL), unique=True)
    #: argon2id; ``None`` means the person cannot sign in.
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    preferred_language: Mapped[Language] = mapped_column(
        str_enum(Language, "language"), default=Language.ENGLISH, server_default="en"
    )
    contact_by: Mapped[ContactMethod] = mapped_column(
        str_enum(ContactMethod, "contact_method"), default=ContactMethod.EMAIL, server_default="email"
    )
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: Moves on whenever the person's sessions must end; a session from an older value is refused.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    organisations: Mapped[list[Organisation]] = relationship(
        secondary="organisation_admins", back_populates="admins", viewonly=True
    )
    bank_roles: Mapped[list[BankRole]] = relationship(back_populates="person", viewonly=True)

    __mapper_args__ = {"polymorphic_identity": HolderType.PERSON}

    @property
    def holder_kind(self) -> HolderKind:
        return HolderKind.RESIDENT

    # Flask-Login's user protocol (``is_active`` is the column above). Not ``UserMixin``: its
    # ``is_active`` property would compete with the mapped column.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What the session cookie carries: the id and the session version it was signed in with."""
        return f"{self.id}:{self.session_version}"


class Organisation(Holder):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(sa.ForeignKey("holders.id"), primary_key=True)
    organisation_type: Mapped[OrganisationType] = mapped_column(
        str_enum(OrganisationType, "organisation_type")
    )
    #: Registered charity number, where there is one.
    charity_number: Mapped[str | None] = mapped_column(sa.String(20))
    #: The organisation's own contact address (its admins sign in with theirs).
    contact_email: Mapped[str | None] = mapped_column(sa.String(MAX_EMAIL))

    admins: Mapped[list[Person]] = relationship(
        secondary="organisation_admins", back_populates="organisations", viewonly=True
    )

    __mapper_args__ = {"polymorphic_identity": HolderType.ORGANISATION}

    @property
    def holder_kind(self) -> HolderKind:
        return ORGANISATION_KIND[self.organisation_type]


class OrganisationAdmin(Base):
    """A person who acts for an organisation."""

    __tablename__ = "organisation_admins"

    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), primary_key=True, index=True)
    created_at: Mapped[created_at]


class BankRole(Base):
    """A person's staff role in a bank: broker (runs it) or funder (sees its reports)."""

    __tablename__ = "bank_roles"
    __table_args__ = (sa.UniqueConstraint("time_bank_id", "person_id", "role"),)

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    role: Mapped[BankRoleName] = mapped_column(str_enum(BankRoleName, "bank_role"))
    created_at: Mapped[created_at]

    person: Mapped[Person] = relationship(back_populates="bank_roles")
