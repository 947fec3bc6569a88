"""Co-delivery activities, their roles and sessions."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("activities", __name__)
