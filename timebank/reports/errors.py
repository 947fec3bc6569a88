"""What a report refuses: a period it cannot cover. Each refusal has its own stable code and names the field
(``from`` or ``to``) it belongs next to."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import DomainError


class ReportPeriodRefused(DomainError):
    """The months chosen are out of order, too many, or outside what the report can cover (before the
    programme or bank began, or after the last whole month)."""

    code = "report-period-refused"
    title = _l("Choose another period")
