"""What the privacy API returns: everything held about you, and who you are after leaving."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields


def _records(description: str) -> fields.List:
    return fields.List(fields.Dict(), metadata={"description": description})


class ExportOut(ma.Schema):
    """Everything the time bank holds about you, as ``privacy.service.export_data`` gathers it: one section
    per feature's part (``timebank.personal_data``). Dates and times are ISO 8601; money is in pence."""

    person = fields.Dict(metadata={"description": "Your name, contact details and when you joined."})
    profile = fields.Dict(allow_none=True, metadata={"description": "Your profile; null if you never filled it in."})
    organisations = _records("The organisations you act for.")
    roles = _records("Your broker and funder roles.")
    accounts = _records("Your time accounts and their balances.")
    exchanges = _records("Every exchange on your accounts.")
    disputes = _records("Disputes you raised, or that were raised for your accounts: the reason, and how each "
                        "ended.")
    applications = _records("Your applications to join, with the referees you named.")
    api_tokens = _records("Your API tokens: names, scopes and dates, never the tokens themselves.")
    vouches_given = fields.List(fields.Integer(), metadata={"description": "Applications you vouched for."})
    dbs_checks = _records("DBS checks recorded for you.")
    password_links = _records("Links made for you to choose a password: when made, until when, and when used or "
                              "stopped. Never the link itself.")
    sign_ups = _records("Your places on activity sessions and on their waiting lists, with what became of "
                        "each (booked, waiting, cancelled, attended or absent).")
    calendar_feed = fields.Dict(allow_none=True, metadata={
        "description": "When your private calendar address was made; null if you have none. Never the address."})
    listings = _records("Your offers, requests and spend offers, in your own words.")
    expenses = _records("Expenses organisations paid you back, in pence.")
    payments = _records("Money or gifts organisations gave you, in pence.")
    redemptions = _records("What you received for credits you spent with a spend partner.")
    notices = _records("The reminders and news made for you: kind, what each is about, and when you read it.")
    activity_log = _records("What was done by you or to your record, and when.")
    emails = _records("Emails made for you: kind, status, when sent, the address it went to; the words only of "
                      "those kept in the outbox (no mail server set up).")
    email_preferences = _records("The kinds of email you turned off (or back on).")
    jobs = _records("Background work you asked for (a timesheet to be recorded): its kind, state and times.")
    benefit_consents = _records("When you switched benefit-safe checks on and off, and to which wording.")
    benefit_profile = fields.Dict(allow_none=True, metadata={
        "description": "The benefit information you gave for benefit-safe checks; null if none."})
    benefit_flags = _records("The benefit-safe flags raised for you, with what they rest on and their history.")
    benefit_data_access = _records("Who looked at or changed your benefit information, when and why.")
    introductions = _records("Introductions a broker made of you to a request or role: what it was, your answer "
                             "and the other side's, and what it led to.")
    broker_messages = _records("Your messages to your time bank's brokers and their replies.")
    funder_memberships = _records("The funders whose programmes' reports you read, and since when.")
    feedback_answers = _records("What you said about sessions and exchanges (how it went, whether you would do it "
                                "again, your comment), and how the answer came: on the page, by email or on paper.")
    withheld = fields.List(fields.String(), metadata={"description": "What is not in the download, and why."})


class LeftOut(ma.Schema):
    person_id = fields.Integer(attribute="id")
    pseudonym = fields.String(attribute="display_name",
                              metadata={"description": "The name the records keep from now on."})
    left_at = fields.DateTime(attribute="pseudonymised_at")
