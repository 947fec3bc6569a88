"""Reminders and news for the person signed in."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notices", __name__)
