"""What the jobs API reads (``…Args``) and returns (``…Out``)."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import PageArgs, PageOut, choice
from timebank.jobs.models import JobState


class JobListArgs(PageArgs):
    state = choice(JobState, _l("Choose queued, running, succeeded or failed."), load_default=None, metadata={
        "description": "Only jobs in this state: `failed` lists what needs an administrator."})


class JobProgressOut(ma.Schema):
    """Enough of a job to follow it: its state and how far it has got."""

    id = fields.Integer()
    state = fields.Enum(JobState, by_value=True, metadata={
        "description": "queued (waiting, or waiting to be tried again), running, succeeded, or failed (its "
                       "attempts are spent, or its work was refused: an administrator can send it again)."})
    progress_done = fields.Integer(metadata={"description": "Steps done so far (rows, for an import)."})
    progress_total = fields.Integer(metadata={"description": "Steps in all; 0 when not known."})
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True, metadata={
        "description": "The kind of the last error (an error class or a refusal's code); never its words."})


class JobOut(JobProgressOut):
    kind = fields.String(metadata={"description": "What the job does, e.g. `imports.apply`, `notices.send`."})
    max_attempts = fields.Integer()
    requested_by_id = fields.Integer(allow_none=True, metadata={"description": "Who asked; null for the daily jobs."})
    time_bank_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


class JobPageOut(PageOut):
    items = fields.List(fields.Nested(JobOut))
