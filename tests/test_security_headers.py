"""Every response carries the security headers (``timebank.security``). The permissions walk checks every
route as every role; here are the responses it does not make: errors, static files, and production's HSTS.
The policy allows nothing inline (the one script is a file of ours), so no template or drawing may hold any
(and no page, whatever wrote it: ``tests.security_headers.inline_content``, checked on every page of the
permissions walk)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

import config
from tests.conftest import Backend
from tests.security_headers import missing_security_headers, policy
from timebank import create_app

ROOT = Path(__file__).parents[1]
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "timebank" / "static"
TOO_LARGE = b"x" * (1024 * 1024 + 1)


def test_errors_refusals_and_files_carry_the_headers(client: FlaskClient) -> None:
    responses = {
        "404 page": client.get("/no-such-page"),
        "404 problem": client.get("/api/v1/no-such-thing"),
        "405 page": client.delete("/sign-in"),
        "405 problem": client.delete("/api/v1/tokens"),
        "413 page": client.post("/sign-in", data=TOO_LARGE, content_type="application/x-www-form-urlencoded"),
        "413 problem": client.post("/api/v1/tokens", data=TOO_LARGE, content_type="application/json"),
        "400 page": client.get("/sign-in?next=%00"),
        "400 problem": client.post("/api/v1/tokens", data=b'{"email": "\\ud800"}', content_type="application/json"),
        "stylesheet": client.get("/static/timebank.css"),
        "script": client.get("/static/picker.js"),
        "OpenAPI document": client.get("/api/v1/openapi.json"),
    }
    assert {name: response.status_code for name, response in responses.items()} == {
        "404 page": 404, "404 problem": 404, "405 page": 405, "405 problem": 405, "413 page": 413,
        "413 problem": 413, "400 page": 400, "400 problem": 400, "stylesheet": 200, "script": 200,
        "OpenAPI document": 200}
    assert {name: missing_security_headers(response) for name, response in responses.items()} == {
        name: [] for name in responses}


def test_pages_may_load_their_stylesheet_and_script_and_nothing_else_may_load_anything(client: FlaskClient) -> None:
    sign_in = client.get("/sign-in")
    page = policy(sign_in)
    assert page == {"default-src": "'none'", "script-src": "'self'", "connect-src": "'self'", "style-src": "'self'",
                    "img-src": "'self'", "form-action": "'self'", "frame-ancestors": "'none'", "base-uri": "'none'"}
    # The one script, a file of this site's, loaded after the page is read.
    assert re.findall(r"<script[^>]*>", sign_in.get_data(as_text=True)) == [
        '<script src="/static/picker.js" defer>']
    for response in (client.get("/api/v1/openapi.json"), client.get("/static/timebank.css")):
        assert policy(response)["default-src"] == "'none'" and policy(response)["form-action"] == "'none'"
        assert "style-src" not in policy(response)


def test_production_adds_strict_transport_security_without_redirecting(
        backend: Backend, db_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEBANK_SECRET_KEY", "a-long-random-string-for-this-test-only")
    monkeypatch.setenv("TIMEBANK_BENEFIT_KEYS", "ZmFrZS1rZXktZm9yLXRoaXMtdGVzdC1vbmx5LTMyYnk=")
    settings = config.ProductionConfig()
    settings.SQLALCHEMY_DATABASE_URI = backend.url
    settings.SQLALCHEMY_ENGINE_OPTIONS = backend.engine_options
    client = create_app(settings).test_client()

    for response in (client.get("/sign-in"), client.get("/api/v1/no-such-thing")):
        assert response.status_code in (200, 404)  # served as asked: the proxy in front speaks https
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert config.DevelopmentConfig().STRICT_TRANSPORT_SECURITY is None


#: What the policy blocks, as a template or a drawing may write it: a style or event attribute (also passed to
#: a macro or a form field, ``f(style=…)`` or ``{"style": …}``), a style element, a script element that is not
#: a file (``src``), a javascript: link.
INLINE = re.compile(r"""(?<![\w-])(style|on[a-z]+)\s*=(?!=)|["'](style|on[a-z]+)["']\s*:"""
                    r"""|<style\b|<script\b(?![^>]*\bsrc=)|javascript:""", re.IGNORECASE)
SOURCES = sorted([*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.svg"), *STATIC.rglob("*.svg")])


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_or_drawing_has_inline_style_or_script(source: Path) -> None:
    inline = [match.group(0) for match in INLINE.finditer(source.read_text(encoding="utf-8"))]
    assert inline == [], "the Content-Security-Policy would block these"
