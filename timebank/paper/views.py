"""Printable personal statements for members without internet."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("paper", __name__)
