"""What every response must carry, pages, API, files and errors alike (see ``timebank.security``), and what no
page may hold: anything inline, which the page policy blocks, or one id twice (a label, an error's link or a
hint would then point at another box than its own)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from werkzeug.test import TestResponse

FIXED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
#: Referrers stay on this site at least; a page with a secret in its address names no referrer at all.
REFERRER_POLICIES = {"same-origin", "no-referrer"}
#: Directives that, where a policy has them, allow this site and nothing else.
SELF_ONLY = ("script-src", "connect-src")
#: Directives every policy must hold whatever else it allows.
REQUIRED = {"default-src": "'none'", "frame-ancestors": "'none'", "base-uri": "'none'"}


def policy(response: TestResponse) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: value[0] if value else "" for name, *value in directives}


def missing_security_headers(response: TestResponse) -> list[str]:
    """What the response lacks or gets wrong; empty when all is well."""
    problems = [f"{name}: {response.headers.get(name)!r}" for name, value in FIXED.items()
                if response.headers.get(name) != value]
    if response.headers.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy: {response.headers.get('Referrer-Policy')!r}")
    csp = policy(response)
    problems += [f"CSP {name}: {csp.get(name)!r}" for name, value in REQUIRED.items() if csp.get(name) != value]
    problems += [f"CSP allows {word}" for word in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:")
                 if word in response.headers.get("Content-Security-Policy", "")]
    # Script, and what a script may ask, only from this site (the pages' one file, static/picker.js).
    problems += [f"CSP {name}: {csp[name]!r}" for name in SELF_ONLY if csp.get(name, "'self'") != "'self'"]
    if "camera=()" not in response.headers.get("Permissions-Policy", ""):
        problems.append(f"Permissions-Policy: {response.headers.get('Permissions-Policy')!r}")
    if "Strict-Transport-Security" in response.headers:  # production only: tests speak plain http
        problems.append("Strict-Transport-Security outside production")
    return problems



class _InlineFinder(HTMLParser):
    """Notes each style or inline script element, style or event attribute and javascript: address in a page, however
    it got there (a template, a macro, a form widget, a drawing)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "style" or (tag == "script" and not dict(attrs).get("src")):  # a script file of ours is allowed
            self.found.append(f"<{tag}>")
        self.found += [f"<{tag} {name}>" for name, value in attrs
                       if name == "style" or name.startswith("on")
                       or (value or "").strip().lower().startswith("javascript:")]

    handle_startendtag = handle_starttag


def inline_content(response: TestResponse) -> list[str]:
    """What in an HTML page the Content-Security-Policy would block; empty when all is well (or not HTML)."""
    if response.mimetype != "text/html":
        return []
    finder = _InlineFinder()
    finder.feed(response.get_data(as_text=True))
    finder.close()
    return finder.found


class _IdCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)

    handle_startendtag = handle_starttag


def duplicate_ids(response: TestResponse) -> list[str]:
    """The ids an HTML page gives to more than one element; empty when all is well (or not HTML)."""
    if response.mimetype != "text/html":
        return []
    counter = _IdCounter()
    counter.feed(response.get_data(as_text=True))
    counter.close()
    return sorted(name for name, count in counter.ids.items() if count > 1)
