"""English and Welsh: every string in the code has a Welsh translation, and people get the language
they chose — on pages, in the API and in durations."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import render_template_string, request, session
from flask_babel import force_locale, refresh
from werkzeug.datastructures import ImmutableMultiDict

from timebank.members.models import Language

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "timebank/translations/cy/LC_MESSAGES/messages.po"
METHODS = [("timebank/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.do"}}


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, OPTIONS, keywords={"_": None, "gettext": None, "ngettext": (1, 2), "_l": None,
                                               "lazy_gettext": None},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_string_in_the_code_has_a_welsh_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalogue
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(source_messages() - translated)
    assert not missing, "Run `make messages` and translate these in the Welsh catalogue:\n" + "\n".join(missing)


def test_the_sign_in_page_in_welsh(client):
    page = client.get("/sign-in?lang=cy").get_data(as_text=True)
    assert 'lang="cy"' in page and "Mewngofnodi" in page and "Cyfrinair" in page
    # The choice sticks for the rest of the visit.
    assert "Mewngofnodi" in client.get("/sign-in").get_data(as_text=True)


def test_a_member_who_prefers_welsh_gets_welsh_pages_and_durations(make_bank, make_member, sign_in):
    bank = make_bank()
    person, _ = make_member(bank, "Siân Griffiths", preferred_language=Language.WELSH)
    page = sign_in(person).get("/").get_data(as_text=True)
    assert 'lang="cy"' in page and "Hafan" in page
    assert "0 munud" in page


def test_api_errors_speak_the_token_holders_language(client, make_bank, make_member):
    from tests.conftest import PASSWORD

    bank = make_bank()
    person, account = make_member(bank, preferred_language=Language.WELSH)
    token = client.post("/api/v1/tokens", json={"email": person.email, "password": PASSWORD}).get_json()["token"]
    response = client.post(
        "/api/v1/exchanges", headers={"Authorization": f"Bearer {token}"},
        json={"account_id": account.id, "side": "giver", "counterpart_account_id": account.id, "minutes": 30,
              "occurred_on": "2026-01-05", "category": "gardening", "description": "", "idempotency_key": "k1"},
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"] == "Dewiswch rywun arall: ni allwch gyfnewid amser â chi eich hun"


def test_a_change_of_language_within_a_request_reaches_templates_and_durations(app):
    """Templates and durations find the catalogue once a request (``i18n.translations``); a language forced
    for a while (a notice in its reader's language), or refreshed, is still what they speak."""
    with app.test_request_context("/?lang=en"):
        def page() -> str:
            return render_template_string('{{ _("Home") }}, {{ 90|minutes }}')

        assert page() == "Home, 1 hour 30 minutes"
        with force_locale("cy"):
            assert page() == "Hafan, 1 awr 30 munud"
        assert page() == "Home, 1 hour 30 minutes"
        session["lang"] = "cy"
        request.args = ImmutableMultiDict()  # as if the link had not been followed in this request
        refresh()
        assert page() == "Hafan, 1 awr 30 munud"
