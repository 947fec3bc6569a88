"""What the imports API reads (``…In``, ``…Args``) and returns (``…Out``).

A file is sent as JSON: its name and its whole text in ``content`` (UTF-8, as the CSV file holds it).
The service reads and checks the text; these schemas check shape, type and size.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from timebank.api.schemas import InputSchema, PageArgs, PageOut, record_id, text
from timebank.imports.models import MAX_BYTES, MAX_ROWS, ImportStatus
from timebank.imports.service import MAX_FILENAME
from timebank.jobs.schemas import JobProgressOut


class ImportIn(InputSchema):
    time_bank_id = record_id(required=True, metadata={"description": "A time bank you broker."})
    filename = text(required=True, min_length=1, max_length=MAX_FILENAME,
                    metadata={"description": "The file's name, to tell imports apart."})
    content = text(required=True, min_length=1, max_length=MAX_BYTES, metadata={
        "description": "The whole CSV file as text: a heading row, then one row per exchange. See "
                       f"docs/timesheet-format.md and GET /imports/template.csv. At most {MAX_BYTES:,} bytes "
                       f"in UTF-8 (so at most {MAX_BYTES:,} characters) and {MAX_ROWS:,} rows; the whole request "
                       "must also fit in 1 MiB."})


class ImportListArgs(PageArgs):
    time_bank_id = record_id(strict=False, metadata={"description": "Only this bank's imports."})


class ProblemOut(ma.Schema):
    row = fields.Integer(allow_none=True, metadata={
        "description": "The row's number in the spreadsheet (the heading is row 1); null for the whole file."})
    column = fields.String(allow_none=True, metadata={"description": "The column; null for the whole row."})
    message = fields.String(metadata={"description": "What to put right, in the language of whoever checked it."})
    import_id = fields.Integer(metadata={"description": "The earlier import, when this file was already recorded."})


class ImportSummaryOut(ma.Schema):
    id = fields.Integer()
    time_bank_id = fields.Integer()
    filename = fields.String()
    sha256 = fields.String(metadata={"description": "SHA-256 of the file's text: a file is recorded once per bank."})
    status = fields.Enum(ImportStatus, by_value=True, metadata={
        "description": "checked: ready to apply; rejected: has problems, nothing recorded; applied: recorded."})
    row_count = fields.Integer()
    total_minutes = fields.Integer(metadata={"description": "Of the rows that could be read."})
    uploaded_by_id = fields.Integer()
    created_at = fields.DateTime()
    applied_at = fields.DateTime(allow_none=True)
    applied_by_id = fields.Integer(allow_none=True)


class ImportOut(ImportSummaryOut):
    people = fields.Integer(metadata={"description": "Different member numbers named in the file."})
    first_on = fields.Date(allow_none=True, metadata={"description": "The earliest date in the file."})
    last_on = fields.Date(allow_none=True, metadata={"description": "The latest date in the file."})
    problems = fields.List(fields.Nested(ProblemOut), metadata={"description": "Row by row, in row order."})
    job = fields.Nested(JobProgressOut, allow_none=True, metadata={
        "description": "The background job recording the rows, once asked for (``POST /imports/<id>/apply``)."})


class ImportPageOut(PageOut):
    items = fields.List(fields.Nested(ImportSummaryOut))
