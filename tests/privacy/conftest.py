"""Leaving and data export use every other feature's factories."""

from tests.attendance.conftest import council, make_session, officer, organiser, start  # noqa: F401
from tests.membership.conftest import (  # noqa: F401 (fixtures shared with this directory)
    audited,
    hear_from_referees,
    make_application,
    make_joined,
    make_reference,
    sign_up_form,
)
from tests.profiles.conftest import make_profile  # noqa: F401
from tests.safeguarding.conftest import make_dbs_check  # noqa: F401
