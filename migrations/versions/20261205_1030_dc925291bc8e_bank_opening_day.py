"""The day each time bank's books open (time_banks.opened_on): nothing that happened in a bank may be dated
earlier (timebank/dates.py, docs/dates.md).

Existing banks open on the earliest of the day they were made and the earliest record dated from the
opening: an exchange, an expense, a payment, a redemption, an interview, a referee's reply or a session.
So every record already kept stays valid, and brokers can move the day earlier on the settings page.

Revision ID: dc925291bc8e
Revises: 65fa645fbb1b
Create Date: 2026-12-05 10:30:00

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dc925291bc8e'
down_revision = '65fa645fbb1b'
branch_labels = None
depends_on = None


def _table(name, *columns):
    return sa.table(name, *(sa.column(column) for column in columns))


time_banks = _table("time_banks", "id", "created_at", "opened_on")
applications = _table("applications", "id", "time_bank_id", "interview_on")
references = _table("references", "application_id", "outcome_on")
activities = _table("activities", "id", "time_bank_id")
roles = _table("roles", "id", "activity_id")
sessions = _table("activity_sessions", "role_id", "starts_at")


def _day(value):
    """A day as SQLite's date() gives it (text) or PostgreSQL does (a date)."""
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _earliest_days():
    """Per bank, the earliest day of each kind of record dated from its opening. A session's day is taken
    in UTC, which is never later than its UK day: the opening can only come out a day early, never late."""
    dated = [
        sa.select(sa.column("time_bank_id"), sa.func.min(sa.column(day)).label("day"))
        .select_from(sa.table(table)).group_by(sa.column("time_bank_id"))
        for table, day in (("exchanges", "occurred_on"), ("expenses", "paid_on"), ("payments", "paid_on"),
                           ("redemptions", "occurred_on"))
    ]
    dated.append(sa.select(applications.c.time_bank_id, sa.func.min(applications.c.interview_on))
                 .group_by(applications.c.time_bank_id))
    dated.append(sa.select(applications.c.time_bank_id, sa.func.min(references.c.outcome_on))
                 .join(references, references.c.application_id == applications.c.id)
                 .group_by(applications.c.time_bank_id))
    dated.append(sa.select(activities.c.time_bank_id, sa.func.min(sa.func.date(sessions.c.starts_at)))
                 .join(roles, roles.c.activity_id == activities.c.id)
                 .join(sessions, sessions.c.role_id == roles.c.id)
                 .group_by(activities.c.time_bank_id))
    return dated


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # SQLite adds a NOT NULL column only with a default, and rebuilding time_banks in batch mode would
        # drop a table every other table refers to. The app always sets the day, so the default (the
        # earliest opening there can be) is never what a bank gets: the backfill below replaces it.
        op.execute("ALTER TABLE time_banks ADD COLUMN opened_on DATE NOT NULL DEFAULT '1980-01-01'")
    else:
        op.add_column("time_banks", sa.Column("opened_on", sa.Date(), nullable=True))

    earliest = {}
    for query in _earliest_days():
        for bank_id, day in bind.execute(query):
            if day is not None:
                earliest[bank_id] = min(_day(day), earliest.get(bank_id, _day(day)))
    for bank_id, made in bind.execute(sa.select(time_banks.c.id, sa.func.date(time_banks.c.created_at))):
        made = _day(made)
        bind.execute(time_banks.update().where(time_banks.c.id == bank_id)
                     .values(opened_on=min(made, earliest.get(bank_id, made))))

    if bind.dialect.name != "sqlite":
        op.alter_column("time_banks", "opened_on", nullable=False)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE time_banks DROP COLUMN opened_on")
    else:
        op.drop_column("time_banks", "opened_on")
