"""A member downloads everything held about them, as JSON: profile, accounts, exchanges, applications
with their references, DBS checks and their activity, but never the text of a safeguarding note."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from timebank.auth import tokens
from timebank.auth.models import TokenScope
from timebank.categories.models import Category
from timebank.ledger import service as ledger
from timebank.ledger.models import Account
from timebank.privacy import service as privacy
from timebank.profiles.models import Period
from timebank.safeguarding.service import add_note


def test_the_download_holds_everything_about_the_member_and_no_safeguarding_notes(
    db_session, make_bank, make_broker, make_member, make_joined, make_profile, make_dbs_check,
    make_application, today,
):
    bank, other = make_bank(name="Hollinbridge"), make_bank(name="Elsewhere")
    broker = make_broker(bank)
    person, application = make_joined(bank, broker, "Ffion Ellis", email="ffion@example.org", phone="01632 960 111")
    account = db_session.scalar(sa.select(Account).where(Account.holder_id == person.id))
    make_profile(person, abilities=("gardening",), about="I grow vegetables", languages=("cy",),
                 availability=((0, Period.MORNING), (5, Period.AFTERNOON)), travel_districts=("HB4",),
                 show_contact=True)
    make_dbs_check(person, bank, broker, certificate_number="001234567890")
    add_note(db_session, broker, person.id, bank.id, "Confidential: spoke to her GP.")
    open_elsewhere = make_application(other, person, statement="Moving house soon")
    _, neighbour_account = make_member(bank, "Gareth")
    gardening = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))
    exchange, _ = ledger.record_exchange(
        db_session, proposer_account_id=account.id, counterpart_account_id=neighbour_account.id,
        proposer_is_giver=True, amount_minutes=45, occurred_on=today, category_id=gardening,
        description="Pruned the roses", recorded_by_id=person.id, idempotency_key="roses")

    data = privacy.export_data(db_session, person)

    text = json.dumps(data)  # all of it is JSON
    assert "Confidential" not in text and "GP" not in text
    assert data["withheld"] and "subject access request" in data["withheld"][0]
    assert data["person"] | {"joined_at": None} == {
        "id": person.id, "name": "Ffion Ellis", "email": "ffion@example.org", "phone": "01632 960 111",
        "postcode": "HB3 2QT", "contact_by": "email", "preferred_language": "en", "joined_at": None,
        "left_at": None,
    }
    profile = data["profile"]
    assert (profile["about"], profile["abilities"], profile["languages"]) == ("I grow vegetables", ["gardening"],
                                                                              ["cy"])
    assert profile["availability"] == [[0, "morning"], [5, "afternoon"]]
    assert profile["travel_districts"] == ["HB4"]
    assert profile["shown_to_other_members"] == {"name": True, "area": True, "abilities": True, "contact": True}
    assert data["accounts"] == [{"id": account.id, "time_bank_id": bank.id, "balance_minutes": 0,
                                 "given_minutes": 0, "received_minutes": 0}]
    [exported] = data["exchanges"]
    assert (exported["id"], exported["state"], exported["amount_minutes"], exported["category"],
            exported["description"], exported["occurred_on"]) == (
        exchange.id, "pending", 45, "gardening", "Pruned the roses", today.isoformat())
    assert [a["id"] for a in data["applications"]] == [application.id, open_elsewhere.id]
    joined = data["applications"][0]
    assert (joined["status"], joined["decided_at"] is not None) == ("approved", True)
    assert [(r["referee_name"], r["outcome"]) for r in joined["references"]] == [
        ("Rhys Evans", "satisfactory"), ("Siân Morgan", "satisfactory")]
    assert data["applications"][1]["statement"] == "Moving house soon"
    [dbs] = data["dbs_checks"]
    assert (dbs["level"], dbs["workforce"], dbs["certificate_number"]) == ("enhanced_barred", "both",
                                                                           "001234567890")
    assert data["vouches_given"] == [] and data["roles"] == [] and data["organisations"] == []
    actions = [event["action"] for event in data["activity_log"]]
    assert {"member.person_created", "membership.approved", "profile.updated"} <= set(actions)
    # The DBS check itself is in the download; brokers' safeguarding work in the log is not.
    assert not [action for action in actions if action.startswith("safeguarding.")]


def test_a_member_without_a_profile_or_account_gets_a_short_download(db_session, make_person):
    person = make_person("New here", email="new@example.org")
    data = privacy.export_data(db_session, person)
    assert data["profile"] is None
    assert data["accounts"] == data["exchanges"] == data["applications"] == data["dbs_checks"] == []
    assert data["person"]["email"] == "new@example.org"
    json.dumps(data)


def test_after_leaving_the_download_shows_the_pseudonym_only(db_session, make_bank, make_broker, make_joined):
    bank = make_bank()
    broker = make_broker(bank)
    person, _ = make_joined(bank, broker, "Ffion Ellis", email="ffion@example.org")
    privacy.leave(db_session, person, person.id)

    data = privacy.export_data(db_session, person)

    text = json.dumps(data)
    assert "Ffion" not in text and "ffion@example.org" not in text and "Rhys Evans" not in text
    assert data["person"]["name"].startswith("Former member") and data["person"]["left_at"]


def test_the_download_lists_the_members_api_tokens_but_never_their_secrets(db_session, make_person):
    person, other = make_person("Aled", email="aled@example.org"), make_person("Bea")
    raw, token = tokens.issue_token(db_session, person, dt.timedelta(days=7), name="Allotment spreadsheet",
                                    scope=TokenScope.READ)
    tokens.issue_token(db_session, other, dt.timedelta(days=7), name="Bea's")
    tokens.revoke(db_session, person, token.id)

    data = privacy.export_data(db_session, person)

    [exported] = data["api_tokens"]
    assert exported == {"id": token.id, "name": "Allotment spreadsheet", "scope": "read",
                        "created_at": token.created_at.isoformat(), "expires_at": token.expires_at.isoformat(),
                        "revoked_at": token.revoked_at.isoformat()}
    text = json.dumps(data)
    assert raw not in text and token.token_hash not in text
