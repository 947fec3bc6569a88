"""Expenses, payments and redemptions: money and value records kept apart from the hour ledger."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("money", __name__)
