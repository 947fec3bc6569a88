"""The app's edge: what every request must be before anything reads it, and what every response carries.

* **Text that is not text is refused**, for every field at once, before CSRF, the login loader, a form
  or a schema reads the request: bytes that are not UTF-8 (in the query string, a form body or a JSON
  body), the NUL character (PostgreSQL cannot store it), and lone surrogates (``"\\ud800"`` in JSON:
  half a UTF-16 pair, which no database or encoder accepts). The answer is a 400: problem+json under
  ``/api/``, the error page elsewhere.
* **Security headers on every response**, pages, API, files and errors alike: a Content-Security-Policy
  that allows nothing inline (the pages' one script, ``static/picker.js``, is a file of our own, and every page
  works without it), no framing, no sniffing, referrers kept
  to this site, and HSTS where the config asks for it (production). One hook sets constant headers;
  Flask-Talisman would do the same with defaults we would have to switch off (an https redirect, cookie
  settings we keep in ``config.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from timebank.errors import DomainError

#: What no stored text may contain once decoded: NUL, and the surrogate range (never a character alone).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

#: Pages load their own stylesheet, script and images and nothing else: nothing inline, no plugins, no
#: framing; the script asks only this site (``connect-src``: a picker's matches); forms post only here, and
#: ``<base>`` cannot redirect relative links.
PAGE_POLICY = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
#: API responses, downloads (JSON, PDF, CSV, iCalendar) and static files are never documents that load
#: anything: they get the strictest policy.
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # ``same-origin``, not ``no-referrer``: Flask-WTF checks the Referer of forms posted over https.
    "Referrer-Policy": "same-origin",
    # For browsers older than CSP's frame-ancestors.
    "X-Frame-Options": "DENY",
    # Nothing here uses these browser features, so no page (or anything injected into one) may.
    "Permissions-Policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                          "microphone=(), payment=(), usb=(), browsing-topics=()",
    # Another site's window never gets a handle on ours, and our responses load only on our own pages.
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class UnreadableText(DomainError):
    """Something sent is not text any field could store."""

    code = "unreadable-text"
    status = 400
    title = _l("The request could not be read")


def _is_text(raw: bytes) -> bool:
    """Whether bytes are UTF-8 text without NUL."""
    try:
        return "\x00" not in raw.decode("utf-8")
    except UnicodeDecodeError:
        return False


def _strings(value: Any) -> Iterator[str]:
    """Every string in parsed JSON, keys too; a loop, not recursion, so depth cannot overflow the stack."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _json_is_text(body: bytes) -> bool:
    """Whether a JSON body is UTF-8 whose strings, once parsed, hold neither NUL nor a lone surrogate."""
    if not _is_text(body):
        return False
    text = body.decode("utf-8")
    if "\\u" not in text:  # a NUL or a surrogate can only arrive escaped; most bodies have no escapes
        return True
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return True  # not JSON at all: the API's parser refuses it with its own message
    return not any(_UNSTORABLE.search(string) for string in _strings(parsed))


def _multipart_fields(body: bytes, boundary: bytes) -> Iterator[bytes]:
    """Each field's raw value (files are skipped: their contents are for the feature reading them)."""
    decoder = MultipartDecoder(boundary)
    decoder.receive_data(body)
    decoder.receive_data(None)
    value: list[bytes] | None = None
    while not isinstance(event := decoder.next_event(), Epilogue | NeedData):
        if isinstance(event, Field):
            value = []
        elif isinstance(event, File):
            value = None
        elif isinstance(event, Data) and value is not None:
            value.append(event.data)
            if not event.more_data:
                yield b"".join(value)


def _body_is_text() -> bool:
    if request.is_json:
        return _json_is_text(request.get_data(cache=True))
    if request.mimetype == "application/x-www-form-urlencoded":
        return _is_text(unquote_to_bytes(request.get_data(cache=True)))
    if request.mimetype == "multipart/form-data":
        # Multipart values are sent as they are, not percent-encoded.
        boundary = request.mimetype_params.get("boundary", "").encode("latin-1")
        if not boundary:  # the form parser makes nothing of it either
            return True
        try:
            return all(map(_is_text, _multipart_fields(request.get_data(cache=True), boundary)))
        except ValueError:  # malformed: the form parser makes nothing of it either
            return True
    return True


def refuse_unreadable_text() -> None:
    """A ``before_request`` hook, the first: refuse a request whose text fields are not all storable text."""
    if not (_is_text(unquote_to_bytes(request.query_string)) and _body_is_text()):
        raise UnreadableText(_l("Something you sent contains a character that cannot be stored. "
                                "Remove it and try again."))


def add_security_headers(response: Response) -> Response:
    page = response.mimetype == "text/html"
    response.headers["Content-Security-Policy"] = PAGE_POLICY if page else DATA_POLICY
    for name, value in HEADERS.items():
        # A view may have chosen stricter (a page with a secret in its address sends ``no-referrer``).
        response.headers.setdefault(name, value)
    if hsts := current_app.config.get("STRICT_TRANSPORT_SECURITY"):
        response.headers["Strict-Transport-Security"] = hsts
    return response


def init_app(app: Flask) -> None:
    """Call before any other extension registers hooks: the text check must run before anything reads
    the request, and the headers hook, registered first, runs last, on the finished response."""
    app.before_request(refuse_unreadable_text)
    app.after_request(add_security_headers)
