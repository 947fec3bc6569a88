"""Language choice and the formatting helpers templates use.

The language is, in order: one just chosen with the language link (kept in the session), the signed-in
person's preference (unless the database is off limits: see ``timebank.errors``), the browser's, then
English.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_date, get_locale, get_translations
from flask_login import current_user
from markupsafe import Markup, escape

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


def translations() -> NullTranslations:
    """The catalogue of the language in force, found once a request. Flask-Babel looks it up afresh for every
    string (the request's context, the locale and its name: some 50 times the cost of the lookup itself), and
    a page has a hundred strings. It is kept where Flask-Babel keeps it for a request (``babel_translations``
    in ``g._flask_babel``), which ``flask_babel.refresh`` empties and ``force_locale`` swaps and restores, so
    a change of language within a request is still seen."""
    found = getattr(_babel_context(), "babel_translations", None)
    if found is None:
        found = get_translations()  # makes Flask-Babel's context if this is the request's first string
        if (context := _babel_context()) is not None:
            context.babel_translations = found
    return found


def _babel_context() -> Any:
    """Flask-Babel's namespace for the current app context (``None`` outside one, or before its first use)."""
    return g.get("_flask_babel") if g else None


#: Welsh soft mutation of a word's first letters: "i" (to) mutates the word after it ("Mawrth 2026 i
#: Dachwedd 2026"). Longest first, so that "ll" and "rh" mutate as the letters they are, and "ch", "ph",
#: "th" and "dd" (which never mutate softly) are not read as "c", "p", "t" or "d".
_SOFT_MUTATIONS = (("ll", "l"), ("rh", "r"), ("ch", "ch"), ("ph", "ph"), ("th", "th"), ("dd", "dd"),
                   ("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"), ("d", "dd"), ("g", ""), ("m", "f"))


def soft_mutation(word: str) -> str:
    """``word`` softly mutated (Tachwedd → Dachwedd, Mai → Fai, Gorffennaf → Orffennaf), keeping its
    capital; a word beginning with a vowel or a figure is as it is (Ionawr, Awst, 2026)."""
    for radical, mutated in _SOFT_MUTATIONS:
        if word[:len(radical)].lower() == radical:
            rest = word[len(radical):]
            if word[:1].isupper():
                return (mutated[:1].upper() + mutated[1:] + rest) if mutated else rest[:1].upper() + rest[1:]
            return mutated + rest
    return word


def soft_mutated(words: str) -> str:
    """``words`` where Welsh grammar softly mutates them, in the reader's language: in Welsh with the first
    word mutated, in English as they are. Welsh mutates a word after "i" (to: "Mawrth 2026 i Dachwedd
    2026", so every "X to Y" period of months goes through here) and the object of a command ("Dewiswch
    Fawrth 2026")."""
    return soft_mutation(words) if reading_welsh() else words


def reading_welsh() -> bool:
    """Whether the page (or mail) being made is in Welsh."""
    locale = get_locale()
    return locale is not None and locale.language == "cy"


def in_language(english: str, welsh: str | None) -> tuple[str, str | None]:
    """A text people wrote in English and, if they chose, in Welsh (an activity's title, a programme's name),
    in the reader's language: the Welsh on a Welsh page where it is given, else the English. With it, the
    language the text is in when that is not the page's (``"en"``: English on a Welsh page), for the page to
    mark, so that screen readers say it in English rather than read English words as Welsh."""
    if not reading_welsh():
        return english, None
    if welsh:
        return welsh, None
    return english, "en" if english else None


def local_text(english: str, welsh: str | None) -> str:
    """The text of ``in_language``, for where no mark can go (a page's <title>, an attribute, plain mail)."""
    return in_language(english, welsh)[0]


def local_words(english: str, welsh: str | None, *, marked: bool = True) -> Markup:
    """The text of ``in_language`` for a page, escaped: English on a Welsh page in a <span lang="en">."""
    text, language = in_language(english, welsh)
    return Markup('<span lang="{}">{}</span>').format(language, text) if marked and language else escape(text)


def local(thing: Any, field: str = "title", *, marked: bool = True) -> Markup:
    """``thing.<field>`` or its Welsh, ``thing.<field>_cy``, by ``local_words``: the Jinja filter
    ``{{ activity|local("title") }}``, ``{{ programme|local("name", marked=false) }}`` (in a <title>)."""
    return local_words(getattr(thing, field), getattr(thing, f"{field}_cy"), marked=marked)


def format_minutes(minutes: int) -> str:
    """'2 hours 30 minutes', '45 minutes', '−1 hour': plain words, never decimals."""
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    catalogue = translations()
    parts = []
    if hours:
        parts.append(catalogue.ngettext("%(num)d hour", "%(num)d hours", hours) % {"num": hours})
    if rest or not hours:
        parts.append(catalogue.ngettext("%(num)d minute", "%(num)d minutes", rest) % {"num": rest})
    return sign + " ".join(parts)


def url_in_language(language: str) -> str:
    """This page's address with its query kept, in another language (for the language link)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [language]
    return request.path + "?" + urlencode(args, doseq=True)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # In place of Flask-Babel's own (which look the catalogue up for every string): see ``translations``.
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: translations().ugettext(string),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(context, singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.filters["minutes"] = format_minutes
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["local"] = local
    app.jinja_env.globals["local_words"] = local_words
    app.jinja_env.globals["current_language"] = lambda: get_locale().language if get_locale() else "en"
    app.jinja_env.globals["url_in_language"] = url_in_language
    app.jinja_env.add_extension("jinja2.ext.do")
