"""Guards every page blueprint uses: who is signed in, and who may use member pages at all."""

from __future__ import annotations

from typing import Any, cast

from flask import abort
from flask_login import current_user

from timebank.db import db
from timebank.extensions import login_manager
from timebank.members import policy
from timebank.members.models import Person


def current_person() -> Person:
    return cast(Person, current_user._get_current_object())  # type: ignore[attr-defined]


def members_only() -> Any:
    """A ``before_request`` hook: sign in first; funders who see aggregates only get a 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if policy.sees_aggregates_only(db.session, current_person()):
        abort(403)
    return None


def signed_in_only() -> Any:
    """A ``before_request`` hook for pages every signed-in person may use (their own data)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None
