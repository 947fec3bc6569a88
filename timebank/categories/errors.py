"""What choosing categories refuses. A category code or id that names no active category is the
ledger's own refusal, ``ledger.errors.CategoryNotFound``: an exchange is where a category is checked first."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.errors import DomainError


class UnknownAbility(DomainError):
    code = "unknown-ability"
    title = _l("Choose abilities from the list")
    field = "abilities"
