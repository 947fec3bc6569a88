"""The core of benefit-safe monitoring: consent, the encrypted profile, the rules running in the unit of work
that changes what they read (only for members who consented), flags that agree with the evidence (raised
once, updated in place, resolved by themselves when the evidence goes), and never blocking anything.

The rules here are a stand-in (``_TEST_RULE``): the fifteen real ones are tested on their own
(``test_rules.py``); this tests the machinery every rule runs in."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from tests.support import statements_sent
from timebank.banks.models import TimeBank
from timebank.benefits import cli, crypto, engine, errors, flags, profiles, triggers
from timebank.benefits.facts import Benefit, Profile, Severity
from timebank.benefits.models import (
    BenefitAccess,
    BenefitConsent,
    BenefitFlag,
    BenefitFlagEvent,
    BenefitProfile,
    FlagState,
    Resolution,
)
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window
from timebank.categories.models import Category
from timebank.errors import DomainError
from timebank.ledger import service as ledger
from timebank.ledger.models import Account
from timebank.members.models import OrganisationType, Person
from timebank.money.models import Payment, PaymentKind


def _long_days(context: Context) -> list[Finding]:
    """A stand-in rule: every day of help over an hour, one flag each."""
    return [Finding(rule_id="TB-T1", key=f"exchange:{given.exchange_id}", severity=Severity.MEDIUM,
                    window_start=given.occurred_on, window_end=given.occurred_on,
                    references=((Reference.EXCHANGE, given.exchange_id),), computed={"hours": given.minutes / 60},
                    params={"hours": given.minutes // 60})
            for given in context.evidence.given if given.minutes > 60 and context.in_span(given.occurred_on)]


_TEST_RULE = Rule(id="TB-T1", title="Long days", benefits=frozenset({Benefit.UC}),
                  reads=frozenset({Reference.EXCHANGE}), window=Window.EVENT, lookback_days=0,
                  member_text="You gave %(hours)s hours.", broker_text="%(member)s gave %(hours)s hours.",
                  evaluate=_long_days)


@pytest.fixture(autouse=True)
def stand_in_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "RULES", (_TEST_RULE,))
    monkeypatch.setattr(flags, "RULES_BY_ID", {_TEST_RULE.id: _TEST_RULE})


@pytest.fixture
def members(bank: TimeBank, make_member: Callable[..., tuple[Person, Account]]) -> tuple[Person, Account, Person,
                                                                                          Account]:
    ann, ann_account = make_member(bank, "Ann Rhys")
    bob, bob_account = make_member(bank, "Bob Pryce")
    return ann, ann_account, bob, bob_account


def _gives(session: Session, giver: Account, receiver: Account, receiver_person: Person, minutes: int,
           day: dt.date) -> int:
    gardening = session.scalar(sa.select(Category.id).where(Category.code == "gardening"))
    exchange, _ = ledger.record_exchange(
        session, proposer_account_id=giver.id, counterpart_account_id=receiver.id, proposer_is_giver=True,
        amount_minutes=minutes, occurred_on=day, category_id=gardening, description="Digging",
        recorded_by_id=giver.holder_id, idempotency_key=uuid.uuid4().hex)
    ledger.confirm_exchange(session, exchange.id, actor_id=receiver_person.id, acting_for_account_id=receiver.id)
    return exchange.id


def _consents(session: Session, person: Person, benefits: frozenset[Benefit] = frozenset({Benefit.UC})) -> None:
    profiles.give_consent(session, person, person.id)
    profiles.save_profile(session, person, person.id, Profile(benefits=benefits))
    triggers.run_touched(session)  # saving the profile touched them: nothing to find yet


def _flags(session: Session, person: Person) -> list[BenefitFlag]:
    return list(session.scalars(sa.select(BenefitFlag).where(BenefitFlag.person_id == person.id)))


def test_a_flag_is_raised_in_the_commit_that_confirms_the_help(db_session: Session, members, today: dt.date):
    ann, ann_account, bob, bob_account = members
    _consents(db_session, ann)
    exchange_id = _gives(db_session, ann_account, bob_account, bob, 120, today)
    db_session.commit()  # the unit of work ends: the rules run for Ann (and not for Bob, who did not consent)
    (flag,) = _flags(db_session, ann)
    assert (flag.rule_id, flag.key, flag.state, flag.severity) == ("TB-T1", f"exchange:{exchange_id}",
                                                                   FlagState.OPEN, Severity.MEDIUM)
    assert flag.evidence["references"] == [["exchange", exchange_id]]
    assert flag.time_bank_id == ann_account.time_bank_id
    assert _flags(db_session, bob) == []


def _payments_rule(context: Context) -> list[Finding]:
    """A second stand-in, reading only payments: it would find something whenever it ran."""
    return [Finding(rule_id="TB-T3", key="always", severity=Severity.LOW, window_start=context.span_start,
                    window_end=context.span_start, references=(), params={})]


def test_a_touch_runs_only_the_rules_that_read_what_it_touched_on_only_that_evidence(
        db_session: Session, members, today: dt.date, monkeypatch: pytest.MonkeyPatch):
    """A confirmed exchange touches the giver's exchanges: the rule reading payments neither runs nor has
    payments read for it, and no other evidence is read (the member's profile with the consent and whether
    they have a flag, their exchanges, and their flags of that rule only once they have one: two statements,
    then three, and the log's rows written with the flag's)."""
    payments_rule = Rule(id="TB-T3", title="Payments", benefits=frozenset({Benefit.UC}),
                         reads=frozenset({Reference.PAYMENT}), window=Window.EVENT, lookback_days=0,
                         member_text="Paid.", broker_text="%(member)s was paid.", evaluate=_payments_rule)
    ann, ann_account, bob, bob_account = members
    _consents(db_session, ann)
    db_session.commit()
    monkeypatch.setattr(engine, "RULES", (_TEST_RULE, payments_rule))  # as if it came with a new release
    _gives(db_session, ann_account, bob_account, bob, 120, today)
    db_session.flush()
    with statements_sent(db_session.connection()) as sent:
        outcome = triggers.run_touched(db_session)
    reads = [statement for statement in sent if statement.lstrip().upper().startswith("SELECT")]
    assert outcome.raised == 1 and [flag.rule_id for flag in _flags(db_session, ann)] == ["TB-T1"]
    assert len(reads) == 2, reads
    _gives(db_session, ann_account, bob_account, bob, 120, today)
    db_session.flush()
    with statements_sent(db_session.connection()) as sent_again:
        assert triggers.run_touched(db_session).raised == 1
    reads_again = [statement for statement in sent_again if statement.lstrip().upper().startswith("SELECT")]
    assert len(reads_again) == 3 and "benefit_flags.rule_id IN" in reads_again[-1], reads_again
    assert not any(statement.lstrip().startswith(f"SELECT {table}.") for statement in reads + reads_again
                   for table in ("payments", "expenses", "redemptions", "sign_ups"))
    # A change of profile runs every rule, on every kind of evidence.
    profiles.save_profile(db_session, ann, ann.id, Profile(benefits=frozenset({Benefit.UC}), couple=True))
    assert triggers.run_touched(db_session).raised == 1
    assert sorted(flag.rule_id for flag in _flags(db_session, ann)) == ["TB-T1", "TB-T1", "TB-T3"]


def test_evidence_of_a_kind_the_member_has_no_record_of_is_not_read_and_is_once_they_have_one(
        db_session: Session, members, bank: TimeBank, make_organisation, today: dt.date,
        monkeypatch: pytest.MonkeyPatch):
    """The profile's statement says which kinds of record the member has any of: a rule reading payments
    runs on none read while they have none (the same as reading them: there are none), and on theirs once
    they have one."""
    payments_rule = Rule(id="TB-T3", title="Payments", benefits=frozenset({Benefit.UC}),
                         reads=frozenset({Reference.PAYMENT}), window=Window.EVENT, lookback_days=0,
                         member_text="Paid.", broker_text="%(member)s was paid.", evaluate=_paid)
    monkeypatch.setattr(engine, "RULES", (payments_rule,))
    ann, *_ = members
    _consents(db_session, ann)
    db_session.commit()
    with statements_sent(db_session.connection()) as sent:
        assert engine.evaluate(db_session, ann.id, today, today, reason="test").raised == 0
    assert not any(statement.lstrip().startswith("SELECT payments.") for statement in sent), sent
    council, _ = make_organisation(bank, "Cyngor Tref Llanfair", organisation_type=OrganisationType.COUNCIL)
    db_session.add(Payment(time_bank_id=bank.id, organisation_id=council.id, person_id=ann.id, paid_on=today,
                           kind=PaymentKind.FEE, amount_pence=2_000, recorded_by_id=ann.id,
                           idempotency_key=uuid.uuid4().hex, request_fingerprint="0" * 64))
    with statements_sent(db_session.connection()) as sent:
        assert engine.evaluate(db_session, ann.id, today, today, reason="test").raised == 1
    assert any(statement.lstrip().startswith("SELECT payments.") for statement in sent), sent
    (flag,) = _flags(db_session, ann)
    assert (flag.rule_id, flag.key) == ("TB-T3", f"paid:{today.isoformat()}")


def _paid(context: Context) -> list[Finding]:
    """A stand-in reading payments: one finding for each day the member was paid."""
    return [Finding(rule_id="TB-T3", key=f"paid:{payment.paid_on.isoformat()}", severity=Severity.LOW,
                    window_start=payment.paid_on, window_end=payment.paid_on,
                    references=((Reference.PAYMENT, payment.payment_id),), params={})
            for payment in context.evidence.payments]


def test_without_consent_no_flag_is_ever_raised(db_session: Session, members, today: dt.date):
    ann, ann_account, bob, bob_account = members
    _gives(db_session, ann_account, bob_account, bob, 180, today)
    assert triggers.run_touched(db_session).raised == 0
    assert engine.evaluate(db_session, ann.id, today, today, reason="test").members == 0
    assert _flags(db_session, ann) == []


def test_the_same_evidence_never_raises_a_second_flag(db_session: Session, members, today: dt.date):
    ann, ann_account, bob, bob_account = members
    _consents(db_session, ann)
    _gives(db_session, ann_account, bob_account, bob, 120, today)
    first = triggers.run_touched(db_session)
    again = engine.evaluate(db_session, ann.id, today - dt.timedelta(days=30), today, reason="test")
    assert (first.raised, again.raised, again.updated, again.resolved) == (1, 0, 0, 0)
    (flag,) = _flags(db_session, ann)
    assert [event.action.value for event in db_session.scalars(
        sa.select(BenefitFlagEvent).where(BenefitFlagEvent.flag_id == flag.id))] == ["raised"]


def test_a_reversal_resolves_the_flag_by_itself_with_a_note(db_session: Session, members, broker: Person,
                                                             today: dt.date):
    ann, ann_account, bob, bob_account = members
    _consents(db_session, ann)
    exchange_id = _gives(db_session, ann_account, bob_account, bob, 120, today)
    triggers.run_touched(db_session)
    ledger.reverse_exchange(db_session, exchange_id, actor_id=broker.id, reason="Keyed twice")
    outcome = triggers.run_touched(db_session)
    (flag,) = _flags(db_session, ann)
    assert outcome.resolved == 1
    assert (flag.state, flag.resolution, flag.resolution_note) == (FlagState.RESOLVED, Resolution.EVIDENCE_GONE,
                                                                   engine.EVIDENCE_GONE)


def test_a_resolved_flag_whose_evidence_changes_opens_again(db_session: Session, members, broker: Person,
                                                              today: dt.date, monkeypatch: pytest.MonkeyPatch):
    ann, ann_account, bob, bob_account = members
    _consents(db_session, ann)
    _gives(db_session, ann_account, bob_account, bob, 120, today)
    triggers.run_touched(db_session)
    (flag,) = _flags(db_session, ann)
    flags.resolve(db_session, broker, flag.id, Resolution.TOLD_DWP, "Told the work coach")
    changed = Rule(**{**_TEST_RULE.__dict__, "evaluate": lambda context: [
        Finding(**{**finding.__dict__, "computed": {"hours": "three"}}) for finding in _long_days(context)]})
    monkeypatch.setattr(engine, "RULES", (changed,))
    outcome = engine.evaluate(db_session, ann.id, today, today, reason="test")
    assert (outcome.updated, flag.state, flag.resolution) == (1, FlagState.OPEN, None)


def test_dropping_a_benefit_resolves_the_flags_of_rules_that_no_longer_apply(db_session: Session, members,
                                                                               today: dt.date):
    ann, ann_account, bob, bob_account = members
    _consents(db_session, ann)
    _gives(db_session, ann_account, bob_account, bob, 120, today)
    triggers.run_touched(db_session)
    profiles.save_profile(db_session, ann, ann.id, Profile(benefits=frozenset({Benefit.PIP})))
    assert triggers.run_touched(db_session).resolved == 1
    assert _flags(db_session, ann)[0].resolution_note == engine.NO_LONGER_APPLIES


def test_withdrawing_consent_deletes_the_profile_and_flags_and_keeps_only_the_fact(db_session: Session, members,
                                                                                   today: dt.date):
    ann, ann_account, bob, bob_account = members
    _consents(db_session, ann)
    _gives(db_session, ann_account, bob_account, bob, 120, today)
    triggers.run_touched(db_session)
    consent = profiles.withdraw_consent(db_session, ann, ann.id)
    assert consent.withdrawn_at is not None and consent.withdrawn_by_id == ann.id
    assert db_session.get(BenefitProfile, ann.id) is None and _flags(db_session, ann) == []
    assert db_session.scalars(sa.select(BenefitFlagEvent)).all() == []
    # Consent can be given again later, to the current wording: a new row beside the withdrawn one.
    profiles.give_consent(db_session, ann, ann.id)
    assert len(db_session.scalars(sa.select(BenefitConsent).where(BenefitConsent.person_id == ann.id)).all()) == 2


def test_a_broker_gives_consent_for_a_member_who_is_not_online_and_it_says_so(db_session: Session, members,
                                                                             broker: Person):
    ann = members[0]
    consent = profiles.give_consent(db_session, broker, ann.id)
    assert (consent.on_behalf, consent.given_by_id, consent.wording_version) == (True, broker.id,
                                                                                 profiles.WORDING_VERSION)


def test_only_the_member_and_their_banks_brokers_may_touch_their_benefit_data(
    db_session: Session, members, make_bank: Callable[..., TimeBank], make_broker: Callable[..., Person],
    make_person: Callable[..., Person],
):
    ann, _, bob, _ = members
    other_broker = make_broker(make_bank(name="Elsewhere Time Bank"), "Other Broker")
    admin = make_person("Ada Admin")
    admin.is_admin = True
    for stranger in (bob, other_broker, admin):
        with pytest.raises(errors.BenefitDataNotFound):
            profiles.give_consent(db_session, stranger, ann.id)
        with pytest.raises(errors.BenefitDataNotFound):
            profiles.read_profile(db_session, stranger, ann.id, "test")


def test_the_profile_is_stored_encrypted_and_every_read_is_logged(db_session: Session, members):
    ann = members[0]
    profiles.give_consent(db_session, ann, ann.id)
    profiles.save_profile(db_session, ann, ann.id, Profile(benefits=frozenset({Benefit.CA, Benefit.PIP}),
                                                           uc_expected_hours=None, couple=True))
    raw = db_session.execute(sa.text("SELECT benefits, jurisdiction FROM benefit_profiles "
                                     "WHERE person_id = :id"), {"id": ann.id}).one()
    for stored, plain in zip(raw, ('["ca","pip"]', '"england"'), strict=True):
        assert stored.startswith("gAAAAA")  # a Fernet token: url-safe base64, which never holds " [ or ,
        assert plain not in stored and crypto.decrypt(stored) == json.loads(plain)
    assert profiles.read_profile(db_session, ann, ann.id, "own_view").benefits == {Benefit.CA, Benefit.PIP}
    reasons = db_session.scalars(sa.select(BenefitAccess.reason).where(BenefitAccess.person_id == ann.id)).all()
    assert {"consent_given", "profile_saved", "own_view"} <= set(reasons)


@pytest.mark.parametrize("bad", [
    Profile(benefits=frozenset({Benefit.UC}), uc_expected_hours=169),
    Profile(benefits=frozenset({Benefit.PIP}), uc_work_group=profiles.UcWorkGroup.ALL_REQUIREMENTS),
    Profile(benefits=frozenset({Benefit.UC}), uc_assessment_day=32),
    Profile(benefits=frozenset({Benefit.UC}), benefit_week_starts=7),
])
def test_a_profile_that_cannot_be_right_is_refused_and_nothing_is_kept(db_session: Session, members, bad: Profile):
    ann = members[0]
    profiles.give_consent(db_session, ann, ann.id)
    with pytest.raises(DomainError):
        profiles.save_profile(db_session, ann, ann.id, bad)
    assert db_session.get(BenefitProfile, ann.id) is None


def test_a_new_key_rotated_in_keeps_every_profile_readable(app: Flask, db_session: Session, members,
                                                          today: dt.date):
    ann, ann_account, bob, bob_account = members
    _consents(db_session, ann)
    _gives(db_session, ann_account, bob_account, bob, 120, today)
    triggers.run_touched(db_session)
    old = app.config["BENEFIT_KEYS"]
    new = crypto.make_key()
    app.extensions["timebank.benefits.keys"] = crypto.parse_keys(f"{new},{old}")
    try:
        assert cli.rotate(db_session) >= 2  # the profile and the flag (and its history's notes, if any)
        app.extensions["timebank.benefits.keys"] = crypto.parse_keys(new)  # the old key removed
        db_session.expire_all()
        assert profiles.read_profile(db_session, ann, ann.id, "test").benefits == {Benefit.UC}
        assert _flags(db_session, ann)[0].evidence["params"] == {"hours": 2}
    finally:
        app.extensions["timebank.benefits.keys"] = crypto.parse_keys(old)
        db_session.rollback()


def test_rules_that_fail_never_block_the_confirmation(db_session: Session, members, today: dt.date,
                                                      monkeypatch: pytest.MonkeyPatch):
    ann, ann_account, bob, bob_account = members
    _consents(db_session, ann)

    def broken(_context: Context) -> list[Finding]:
        raise RuntimeError("a bug in a rule")

    monkeypatch.setattr(engine, "RULES", (Rule(**{**_TEST_RULE.__dict__, "evaluate": broken}),))
    exchange_id = _gives(db_session, ann_account, bob_account, bob, 120, today)
    db_session.commit()
    assert ledger.get_exchange(db_session, exchange_id).state.value == "confirmed"
    assert _flags(db_session, ann) == []


def test_broker_actions_are_kept_in_the_flags_history(db_session: Session, members, broker: Person, today: dt.date):
    ann, ann_account, bob, bob_account = members
    _consents(db_session, ann)
    _gives(db_session, ann_account, bob_account, bob, 120, today)
    triggers.run_touched(db_session)
    (flag,) = _flags(db_session, ann)
    flags.acknowledge(db_session, broker, flag.id)
    flags.snooze(db_session, broker, flag.id, today + dt.timedelta(days=7), "Seeing her next week")
    with pytest.raises(errors.SnoozeDateInPast):
        flags.snooze(db_session, broker, flag.id, today)
    flags.resolve(db_session, broker, flag.id, Resolution.REFERRED_TO_ADVICE, "Citizens Advice")
    with pytest.raises(errors.FlagAlreadyResolved):
        flags.acknowledge(db_session, broker, flag.id)
    view, history = flags.detail(db_session, broker, flag.id)
    assert [event.action.value for event in history] == ["raised", "acknowledged", "snoozed", "resolved"]
    assert view.params == {"hours": 2, "member": "Ann Rhys"}


def test_funders_see_counts_by_rule_with_small_numbers_suppressed(db_session: Session, members, bank: TimeBank,
                                                                  today: dt.date):
    ann = members[0]
    for number in range(6):
        db_session.add(BenefitFlag(person_id=ann.id, time_bank_id=bank.id, rule_id="TB-04", key=f"payment:{number}",
                                   severity=Severity.HIGH, window_start=today, window_end=today, evidence={}))
    db_session.add(BenefitFlag(person_id=ann.id, time_bank_id=bank.id, rule_id="TB-09", key="exchange:1",
                               severity=Severity.LOW, window_start=today, window_end=today, evidence={}))
    db_session.flush()
    counts = flags.funder_counts(db_session, {bank.id}, today - dt.timedelta(days=1), today)
    assert [(c.rule_id, c.severity, c.count) for c in counts[bank.id]] == [("TB-04", Severity.HIGH, 6),
                                                                          ("TB-09", Severity.LOW, None)]


def test_the_daily_tidy_deletes_resolved_flags_past_retention_and_reopens_snoozed_ones_due(
    app: Flask, db_session: Session, members, bank: TimeBank, today: dt.date,
):
    ann = members[0]
    old, recent, due = (BenefitFlag(person_id=ann.id, time_bank_id=bank.id, rule_id="TB-04", key=f"payment:{n}",
                                    severity=Severity.HIGH, window_start=today, window_end=today, evidence={})
                        for n in range(3))
    old.state, old.resolved_at = FlagState.RESOLVED, dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    recent.state, recent.resolved_at = FlagState.RESOLVED, dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    due.state, due.snoozed_until = FlagState.SNOOZED, today
    db_session.add_all((old, recent, due))
    db_session.flush()
    assert cli.tidy(db_session) == (1, 1)
    db_session.expire_all()
    assert {flag.key: flag.state for flag in _flags(db_session, ann)} == {"payment:1": FlagState.RESOLVED,
                                                                        "payment:2": FlagState.OPEN}
