"""Input that is not storable text is refused at the edge with a 400, for every field at once, never a 500:
the NUL character, lone surrogates (``"\\ud800"`` in JSON), and bytes that are not UTF-8 in query strings
and form bodies. Arbitrary text and bytes anywhere never make a 5xx."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from tests.conftest import PASSWORD, Backend, make_app
from tests.support import examples
from timebank.auth import tokens
from timebank.banks.models import TimeBank
from timebank.members.models import Person
from timebank.profiles.models import Profile

FORM = "application/x-www-form-urlencoded"
#: A lone surrogate as a client sends it in JSON, and as UTF-8 would spell it (which UTF-8 forbids).
LONE_SURROGATE_JSON = '"\\ud800"'
LONE_SURROGATE_FORM = "%ED%A0%80"


def assert_refused_page(response: TestResponse) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    assert "cannot be stored" in response.get_data(as_text=True)


def assert_refused_problem(response: TestResponse) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["code"] == "unreadable-text" and "cannot be stored" in body["detail"]


def _json(client: FlaskClient, method: str, path: str, body: str, token: str | None = None) -> TestResponse:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.open(path, method=method, data=body.encode(), content_type="application/json", headers=headers)


# --- NUL, lone surrogates, broken UTF-8 --------------------------------------------------------------


def test_a_nul_character_in_a_form_or_query_is_a_400_page(client: FlaskClient) -> None:
    assert_refused_page(client.post("/sign-in", data={"email": "a\x00@example.org", "password": "x"}))
    assert_refused_page(client.get("/sign-in?next=%00"))


def test_a_nul_character_in_json_is_a_400_problem(client: FlaskClient) -> None:
    assert_refused_problem(client.post("/api/v1/tokens", json={"email": "a\u0000@example.org", "password": "x"}))


@pytest.mark.parametrize("body", [
    '{"email": "\\ud800", "password": "x"}',
    '{"email": "a@example.org", "password": "x\\uDFFF"}',
    '{"email": "a@example.org", "password": "x", "extra": [{"deep": ["\\udbff"]}]}',
    '{"\\ud800": "a key is text too"}',
    '{"email": "\\ude00\\ud83d", "password": "x"}',  # a pair the wrong way round is two lone halves
])
def test_a_lone_surrogate_anywhere_in_json_is_a_400_problem(client: FlaskClient, body: str) -> None:
    assert_refused_problem(_json(client, "POST", "/api/v1/tokens", body))


@pytest.mark.parametrize("body", [
    '{"email": "\\ud83d\\ude00@example.org", "password": "x"}',  # an emoji, escaped as a surrogate pair
    '{"email": "\\\\ud800@example.org", "password": "x"}',  # a backslash, then the letters u d 8 0 0
    '{"email": "ŵ@example.org", "password": "ŷ\\u00e9"}',
])
def test_text_that_only_looks_odd_is_let_through(client: FlaskClient, body: str) -> None:
    assert _json(client, "POST", "/api/v1/tokens", body).status_code == 401


def test_bytes_that_are_not_utf8_are_a_400(client: FlaskClient) -> None:
    assert_refused_problem(client.post("/api/v1/tokens", data=b'{"email": "\xff", "password": "x"}',
                                       content_type="application/json"))
    assert_refused_page(client.get("/sign-in?next=%FF"))
    assert_refused_page(client.post("/sign-in", data=f"email={LONE_SURROGATE_FORM}&password=x", content_type=FORM))
    assert_refused_page(client.post("/sign-in", data=b"email=\xc3&password=x", content_type=FORM))


def test_multipart_fields_are_checked_and_files_left_to_their_feature(client: FlaskClient) -> None:
    boundary = "b0und4ry"

    def multipart(name: str, value: bytes, filename: str | None = None) -> bytes:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        return (f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value
                + f"\r\n--{boundary}--\r\n".encode())

    content_type = f"multipart/form-data; boundary={boundary}"
    assert_refused_page(client.post("/sign-in", data=multipart("email", b"\xed\xa0\x80"), content_type=content_type))
    assert_refused_page(client.post("/sign-in", data=multipart("email", b"a\x00b"), content_type=content_type))
    # A file's bytes are whatever the file holds; a "%00" in a field is three characters, not a NUL.
    assert client.post("/sign-in", data=multipart("file", b"\xff\x00", "a.csv"),
                       content_type=content_type).status_code == 422
    assert client.post("/sign-in", data=multipart("email", b"%00"), content_type=content_type).status_code == 422


def test_the_check_comes_before_csrf(backend: Backend, db_session: Session) -> None:
    app = make_app(backend)
    app.config["WTF_CSRF_ENABLED"] = True

    assert_refused_page(app.test_client().post("/sign-in", data=f"email={LONE_SURROGATE_FORM}", content_type=FORM))


# --- the issue's cases: profile and contact updates ---------------------------------------------------


@dataclass
class Scene:
    app: Flask
    member: Person
    subject: Person
    anonymous: FlaskClient
    #: The member's browser (signed in) and the broker's.
    member_page: FlaskClient
    broker_page: FlaskClient
    member_token: str
    broker_token: str


@pytest.fixture
def scene(app: Flask, db_session: Session, bank: TimeBank, broker: Person,
          make_member: Callable[..., tuple[Person, Any]]) -> Scene:
    """Aled, a member; Bea, whose contact details their broker Nia keeps."""
    member, _ = make_member(bank, "Aled Pryce")
    subject, _ = make_member(bank, "Bea Okafor")
    issued = {person.id: tokens.issue_token(db_session, person, dt.timedelta(hours=1))[0]
              for person in (member, broker)}
    db_session.commit()
    browsers = {}
    for person in (member, broker):
        browsers[person.id] = app.test_client()
        signed_in = browsers[person.id].post("/sign-in", data={"email": person.email, "password": PASSWORD})
        assert signed_in.status_code == 302
    return Scene(app, member, subject, app.test_client(), browsers[member.id], browsers[broker.id],
                 issued[member.id], issued[broker.id])


def test_a_lone_surrogate_in_a_profile_or_contact_update_changes_nothing(scene: Scene, db_session: Session) -> None:
    member, subject = scene.member.id, scene.subject.id
    about_before = db_session.get(Profile, member)
    about_before = about_before.about if about_before else None

    assert_refused_problem(_json(scene.anonymous, "PUT", f"/api/v1/people/{member}/profile",
                                 f'{{"about": {LONE_SURROGATE_JSON}}}', scene.member_token))
    assert_refused_problem(_json(scene.anonymous, "PUT", f"/api/v1/people/{subject}/contact",
                                 f'{{"display_name": {LONE_SURROGATE_JSON}, "contact_by": "broker", '
                                 f'"preferred_language": "en"}}', scene.broker_token))
    assert_refused_page(scene.member_page.post(f"/people/{member}/profile", data=f"about={LONE_SURROGATE_FORM}",
                                               content_type=FORM))
    assert_refused_page(scene.broker_page.post(f"/people/{subject}/contact",
                                               data=f"display_name={LONE_SURROGATE_FORM}&contact_by=broker"
                                                    "&preferred_language=en", content_type=FORM))

    db_session.expire_all()
    profile = db_session.get(Profile, member)
    assert (profile.about if profile else None) == about_before
    assert db_session.get(Person, subject).display_name == "Bea Okafor"


# --- properties: nothing sent makes a 5xx ----------------------------------------------------------------

#: Any code point, NUL and lone surrogates included (Hypothesis leaves surrogates out unless asked).
ANY_TEXT = st.text(st.characters() | st.characters(categories=["Cs"]), max_size=40)
ANY_BYTES = st.binary(max_size=40)
PROPERTY = settings(max_examples=examples(0.25), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _storable_text(text: str) -> bool:
    return "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def _storable_bytes(raw: bytes) -> bool:
    try:
        return _storable_text(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return False


def _quoted(fields: dict[str, bytes]) -> str:
    return "&".join(f"{name}={quote_from_bytes(value)}" for name, value in fields.items())


@PROPERTY
@given(email=ANY_TEXT, password=ANY_TEXT, about=ANY_TEXT, name=ANY_TEXT)
def test_any_text_in_json_fields_is_answered_without_a_5xx(scene: Scene, email: str, password: str, about: str,
                                                           name: str) -> None:
    calls = [
        (None, "POST", "/api/v1/tokens", {"email": email, "password": password}, (email, password)),
        (scene.member_token, "PUT", f"/api/v1/people/{scene.member.id}/profile",
         {"about": about, "abilities": [name]}, (about, name)),
        (scene.broker_token, "PUT", f"/api/v1/people/{scene.subject.id}/contact",
         {"display_name": name, "email": email, "contact_by": "broker", "preferred_language": "en"}, (name, email)),
    ]
    for token, method, path, body, sent in calls:
        response = _json(scene.anonymous, method, path, json.dumps(body), token)
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
        if not all(map(_storable_text, sent)):
            assert_refused_problem(response)


@PROPERTY
@given(body=ANY_BYTES)
def test_any_bytes_as_a_json_body_are_answered_without_a_5xx(scene: Scene, body: bytes) -> None:
    for token, method, path in ((None, "POST", "/api/v1/tokens"),
                                (scene.member_token, "PUT", f"/api/v1/people/{scene.member.id}/profile")):
        response = scene.anonymous.open(path, method=method, data=body, content_type="application/json",
                                        headers={"Authorization": f"Bearer {token}"} if token else {})
        assert response.status_code < 500, response.get_data(as_text=True)[:500]


@PROPERTY
@given(first=ANY_BYTES, second=ANY_BYTES)
def test_any_bytes_in_form_fields_and_query_strings_are_answered_without_a_5xx(
        scene: Scene, first: bytes, second: bytes) -> None:
    member, subject = scene.member.id, scene.subject.id
    member_api = {"Authorization": f"Bearer {scene.member_token}"}
    sent = [
        ((first, second), scene.anonymous.post("/sign-in", data=_quoted({"email": first, "password": second}),
                                               content_type=FORM)),
        ((first,), scene.anonymous.get(f"/sign-in?{_quoted({'next': first})}")),
        ((first, second), scene.member_page.post(f"/people/{member}/profile",
                                                 data=_quoted({"about": first, "travel_districts": second}),
                                                 content_type=FORM)),
        ((first, second), scene.member_page.get(f"/people?{_quoted({'q': first, 'district': second})}")),
        ((first, second), scene.broker_page.post(f"/people/{subject}/contact", content_type=FORM, data=_quoted(
            {"display_name": first, "phone": second, "contact_by": b"broker", "preferred_language": b"en"}))),
        ((first,), scene.anonymous.get(f"/api/v1/people?{_quoted({'q': first})}", headers=member_api)),
    ]
    for values, response in sent:
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
        if not all(map(_storable_bytes, values)):
            assert response.status_code == 400
