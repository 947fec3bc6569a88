"""Language choice and the formatting helpers templates use.

The language is, in order: one just chosen with the language link (kept in the session), the signed-in
person's preference (unless the database is off limits: see ``timebank.errors``), the browser's, then
English.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_date, get_locale, ngettext
from flask_login import current_user

from timebank.errors import database_off_limits
from timebank.extensions import babel

#: The locale used for each language we offer: British English dates and numbers, not American.
LOCALES = {"en": "en_GB", "cy": "cy"}


def select_locale() -> str:
    return LOCALES[_select_language()]


def _select_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    if not database_off_limits():  # reading the preference may need the database
        person = g.get("api_person") or (current_user if getattr(current_user, "is_authenticated", False) else None)
        if person is not None:
            return person.preferred_language.value
    return request.accept_languages.best_match(languages) or "en"


def format_minutes(minutes: int) -> str:
    """'2 hours 30 minutes', '45 minutes', '−1 hour': plain words, never decimals."""
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours))
    if rest or not hours:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", rest))
    return sign + " ".join(parts)


def url_in_language(language: str) -> str:
    """This page's address with its query kept, in another language (for the language link)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [language]
    return request.path + "?" + urlencode(args, doseq=True)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["minutes"] = format_minutes
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.globals["current_language"] = lambda: get_locale().language if get_locale() else "en"
    app.jinja_env.globals["url_in_language"] = url_in_language
    app.jinja_env.add_extension("jinja2.ext.do")
