"""Invariants of the two things mail reads from outside: the unsubscribe token in a link anyone may hold,
and the mail server's URL in the settings. Whatever arrives, the answer is the one meant or a plain
refusal, never another error."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itsdangerous import BadData

from timebank.mail import service as mail
from timebank.mail.errors import UnsubscribeLinkNotUsable
from timebank.mail.kinds import ALWAYS_SENT
from timebank.mail.models import EmailKind
from timebank.mail.transport import smtp_settings
from timebank.types import MAX_ID

CHOOSABLE = [kind for kind in EmailKind if kind not in ALWAYS_SENT]


@given(person_id=st.integers(min_value=1, max_value=MAX_ID), kind=st.sampled_from(CHOOSABLE),
       noise=st.text(min_size=1, max_size=40))
def test_a_token_names_its_person_and_kind_and_nothing_else_can_be_made_from_it(app, person_id, kind, noise):
    """Changed, cut or added to, a token is refused, or (base64's padding) still names the same person and
    kind: nobody can turn one person's link into another's."""
    with app.app_context():
        token = mail.unsubscribe_token(person_id, kind)
        signer = mail._signer()
        assert signer.loads(token) == [person_id, kind.value]
        for changed in (token + noise, noise + token, ("A" if token[0] != "A" else "B") + token[1:], noise,
                        token[: len(token) // 2]):
            try:
                read = signer.loads(changed)
            except BadData:
                continue
            assert read == [person_id, kind.value]


@pytest.mark.parametrize("token", ["", "x", "e30.abc", "WzEsImV4Y2hhbmdlX3BlbmRpbmciXQ"])
def test_a_token_that_is_not_one_of_ours_is_no_link(db_session, token):
    with pytest.raises(UnsubscribeLinkNotUsable):
        mail.read_unsubscribe_token(db_session, token)


def test_a_token_for_a_password_link_or_nobody_is_no_link(db_session, make_person):
    person = make_person("Ffion Price")
    with pytest.raises(UnsubscribeLinkNotUsable):
        mail.read_unsubscribe_token(db_session, mail.unsubscribe_token(person.id, EmailKind.PASSWORD_RESET))
    with pytest.raises(UnsubscribeLinkNotUsable):
        mail.read_unsubscribe_token(db_session, mail.unsubscribe_token(MAX_ID, EmailKind.LISTING_REVIEW))
    assert mail.read_unsubscribe_token(db_session, mail.unsubscribe_token(person.id, EmailKind.LISTING_REVIEW)) == (
        person, EmailKind.LISTING_REVIEW)


@given(url=st.one_of(st.text(max_size=80), st.builds(
    "{}://{}{}{}".format, st.sampled_from(["smtp", "smtps", "http", "SMTP", ""]), st.text(max_size=20),
    st.sampled_from(["", ":25", ":0", ":99999", ":abc"]), st.sampled_from(["", "?starttls=1", "?starttls=0", "?x=1"]))))
def test_any_mail_url_gives_settings_or_says_what_is_wrong(url):
    try:
        settings = smtp_settings(url)
    except ValueError as error:
        assert str(error)
    else:
        assert settings["MAIL_SERVER"] and 1 <= settings["MAIL_PORT"] <= 65535
        assert not (settings["MAIL_USE_SSL"] and settings["MAIL_USE_TLS"])

