"""Making and reading notices. Only flushes.

Every feature that reminds or tells someone something calls ``notify`` with the holder concerned;
``people_to_tell`` turns a holder into the people who should see it: the person themselves, an
organisation's admins, and — for a member who asked to be contacted through their broker — the
brokers of the bank as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.errors import NotFound
from timebank.mail import service as mail
from timebank.members.models import BankRole, BankRoleName, ContactMethod, Holder, OrganisationAdmin, Person
from timebank.notices.models import Notice, NoticeKind
from timebank.pagination import Page, paginate
from timebank.types import utcnow


class NoticeNotFound(NotFound):
    code = "notice-not-found"


def people_to_tell(session: Session, holder_id: int, time_bank_id: int) -> set[int]:
    holder = session.get(Holder, holder_id)
    if holder is None or holder.pseudonymised_at is not None:
        return set()
    if isinstance(holder, Person):
        people = {holder.id}
        if holder.contact_by is ContactMethod.BROKER:
            people |= brokers_of(session, time_bank_id)
        return people
    return set(
        session.scalars(sa.select(OrganisationAdmin.person_id).where(OrganisationAdmin.organisation_id == holder_id))
    )


def brokers_of(session: Session, time_bank_id: int) -> set[int]:
    return set(
        session.scalars(
            sa.select(BankRole.person_id).where(
                BankRole.time_bank_id == time_bank_id, BankRole.role == BankRoleName.BROKER
            )
        )
    )


def notify(session: Session, person_ids: Iterable[int], kind: NoticeKind, subject_id: int, key: str, *,
           time_bank_id: int | None) -> int:
    """Give each person the notice unless they already have one with this key; return how many were new.
    Each new notice is emailed as the person chose (``mail.service.queue_for_notice``); ``time_bank_id``
    is the bank it is about, whose brokers pass it on to someone who hears through them (``None`` only for
    what is about no one bank: then nobody passes it on), so every caller must say.

    ``key`` says what makes the notice distinct, e.g. ``exchange_pending:41:2026-11-29`` for the
    reminder due that day, so running the same reminder job twice makes nothing new.
    """
    made = []
    for person_id in sorted(set(person_ids)):
        exists = session.scalar(sa.select(Notice.id).where(Notice.person_id == person_id, Notice.key == key))
        if exists is None:
            made.append(Notice(person_id=person_id, kind=kind, subject_id=subject_id, key=key))
    session.add_all(made)
    session.flush()
    for notice in made:
        mail.queue_for_notice(session, person_id=notice.person_id, kind=notice.kind.value, notice_id=notice.id,
                              subject_id=subject_id, time_bank_id=time_bank_id)
    return len(made)


def notices_for(session: Session, person: Person, *, unread_only: bool = False, page: int = 1,
                per_page: int = 20) -> Page[Notice]:
    """The person's notices, unread first, newest first within each."""
    query = sa.select(Notice).where(Notice.person_id == person.id)
    if unread_only:
        query = query.where(Notice.read_at.is_(None))
    unread_first = sa.case((Notice.read_at.is_(None), 0), else_=1)
    return paginate(session, query.order_by(unread_first, Notice.created_at.desc(), Notice.id.desc()), page=page,
                    per_page=per_page)


def unread_count(session: Session, person: Person) -> int:
    return session.scalar(
        sa.select(sa.func.count()).select_from(Notice).where(Notice.person_id == person.id, Notice.read_at.is_(None))
    ) or 0


def mark_read(session: Session, person: Person, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None or notice.person_id != person.id:
        raise NoticeNotFound()
    if notice.read_at is None:
        notice.read_at = utcnow()
        session.flush()
    return notice


def mark_all_read(session: Session, person: Person) -> int:
    result = session.execute(
        sa.update(Notice)
        .where(Notice.person_id == person.id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
    )
    session.flush()
    return result.rowcount or 0


def reminder_key(kind: NoticeKind, subject_id: int, day: dt.date) -> str:
    return f"{kind.value}:{subject_id}:{day.isoformat()}"
