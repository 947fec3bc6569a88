"""The JSON API under ``/api/v1``: bearer tokens, marshmallow schemas, problem+json errors and an
OpenAPI 3 document at ``/api/v1/openapi.json``. Each feature keeps its own ``api.py`` and ``schemas.py``;
this package holds what they share (``core``, ``auth``, ``schemas``).
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def init_api(app: Flask, api: Api) -> None:
    """Register the API blueprints (an explicit list) once ``api.init_app(app)`` has run."""
    from timebank.activities import api as activities_api
    from timebank.api.core import register
    from timebank.attendance import api as attendance_api
    from timebank.auth import api as auth_api
    from timebank.banks import api as banks_api
    from timebank.benefits import api as benefits_api
    from timebank.brokerage import api as brokerage_api
    from timebank.categories import api as categories_api
    from timebank.exchanges import api as exchanges_api
    from timebank.feedback import api as feedback_api
    from timebank.imports import api as imports_api
    from timebank.jobs import api as jobs_api
    from timebank.listings import api as listings_api
    from timebank.mail import api as mail_api
    from timebank.matching import api as matching_api
    from timebank.members import api as members_api
    from timebank.membership import api as membership_api
    from timebank.money import api as money_api
    from timebank.notices import api as notices_api
    from timebank.paper import api as paper_api
    from timebank.privacy import api as privacy_api
    from timebank.profiles import api as profiles_api
    from timebank.programmes import api as programmes_api
    from timebank.reports import api as reports_api
    from timebank.safeguarding import api as safeguarding_api

    register(app, api, [auth_api.bp, members_api.bp, categories_api.bp, exchanges_api.bp, banks_api.bp,
                        membership_api.bp, profiles_api.bp, safeguarding_api.bp, privacy_api.bp,
                        activities_api.bp, attendance_api.bp, listings_api.bp, money_api.bp, imports_api.bp,
                        notices_api.bp, paper_api.bp, jobs_api.bp, benefits_api.bp, mail_api.bp,
                        brokerage_api.bp, matching_api.bp, programmes_api.bp, reports_api.bp,
                        feedback_api.bp])
