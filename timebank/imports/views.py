"""Paper timesheets brought in as CSV: checked whole, applied whole or not at all."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("imports", __name__)
