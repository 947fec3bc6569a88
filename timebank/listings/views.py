"""Offers, requests for a particular occasion, and spend partners' time-for-time offers."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("listings", __name__)
