"""Taking part: signing up for sessions, the waiting list, marking attendance, the calendar and the sign-in sheet."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("attendance", __name__)
