"""Pages: filled in by this issue's work (see docs/permissions.md for who may use each)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("members", __name__)
