"""Paper timesheets brought in as CSV.

Design note: an upload is checked whole before anything moves; the check's row-by-row report is kept
on the row. Applying records and confirms every row through ``ledger.service`` inside one transaction,
so a file goes in completely or not at all. Each exchange's idempotency key is the file's SHA-256 and
the row number, so applying the same file twice cannot double the hours; a file already applied to a
bank is refused (partial UNIQUE index).
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import UTCDateTime, created_at, intpk, str_enum

#: 5,000 rows is about a year of paper timesheets for a busy bank; bigger files are split.
MAX_ROWS = 5000
MAX_BYTES = 1_000_000


class ImportStatus(enum.StrEnum):
    #: Checked with no problems: ready to apply.
    CHECKED = "checked"
    #: Checked and found problems: nothing can be applied.
    REJECTED = "rejected"
    APPLIED = "applied"


class TimesheetImport(Base):
    __tablename__ = "timesheet_imports"
    __table_args__ = (
        sa.Index(
            "ux_timesheet_imports_applied_once", "time_bank_id", "sha256", unique=True,
            sqlite_where=sa.text("status = 'applied'"), postgresql_where=sa.text("status = 'applied'"),
        ),
        sa.CheckConstraint(
            "(status = 'applied') = (applied_at IS NOT NULL AND applied_by_id IS NOT NULL)", name="applied_iff_when"
        ),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: The file as uploaded (UTF-8), kept so the check and the apply read the same bytes.
    content: Mapped[str] = mapped_column(sa.Text)
    row_count: Mapped[int]
    total_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    status: Mapped[ImportStatus] = mapped_column(str_enum(ImportStatus, "import_status"))
    #: The check's findings: a list of ``{"row": n, "column": name, "message": text}``.
    problems: Mapped[list[dict[str, object]]] = mapped_column(sa.JSON, default=list)
    applied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    applied_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    created_at: Mapped[created_at]
