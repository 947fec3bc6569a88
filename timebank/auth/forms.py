"""Forms for signing in, for passwords and for API tokens. They check the shape of what was typed (required, the two new
passwords the same); the password rule is ``auth.passwords``', and the service's refusal comes back next
to the field it names."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from timebank.auth.models import MAX_NAME_LENGTH, TokenScope
from timebank.auth.passwords import MAX_LENGTH
from timebank.auth.tokens import MAX_DAYS, MIN_DAYS
from timebank.forms import ServiceForm


def _email_field() -> EmailField:
    return EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address")),
                                               Email(_l("Enter an email address like name@example.org")),
                                               Length(max=254)],
                      render_kw={"autocomplete": "email", "spellcheck": "false"})


def new_password_field(label: Any) -> PasswordField:
    return PasswordField(label, validators=[DataRequired(_l("Choose a password"))],
                         render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH})


def repeat_password_field(of: str) -> PasswordField:
    """The new password typed again, so a slip of the finger does not lock someone out."""
    return PasswordField(_l("Type the password again"),
                         validators=[DataRequired(_l("Type the password again")),
                                     EqualTo(of, _l("The two passwords are different"))],
                         render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH})


class SignInForm(ServiceForm):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password")),
                                                         Length(max=MAX_LENGTH)])
    submit = SubmitField(_l("Sign in"))


class ForgotPasswordForm(ServiceForm):
    email = _email_field()


class SetPasswordForm(ServiceForm):
    """On a password link: choose a password."""

    new_password = new_password_field(_l("Choose a password"))
    confirm_password = repeat_password_field("new_password")


class ChangePasswordForm(ServiceForm):
    current_password = PasswordField(_l("Your password now"),
                                     validators=[DataRequired(_l("Enter the password you use now"))],
                                     render_kw={"autocomplete": "current-password", "maxlength": MAX_LENGTH})
    new_password = new_password_field(_l("New password"))
    confirm_password = repeat_password_field("new_password")



SCOPE_LABELS = {
    TokenScope.READ: _l("Read only: it can see what you can see, and change nothing"),
    TokenScope.WRITE: _l("Read and change: it can do anything you can do"),
}


class NewTokenForm(ServiceForm):
    """Name, scope and lifetime of a new API token. The rules (a name, 1 to 365 days) are
    ``tokens.make_token``'s, whose errors come back next to the field."""

    name = StringField(_l("Name"), render_kw={"maxlength": MAX_NAME_LENGTH, "spellcheck": "false"})
    scope = RadioField(_l("What may it do?"), choices=[SelectChoice(scope.value, label)
                                                       for scope, label in SCOPE_LABELS.items()],
                       default=TokenScope.READ.value, invalid_choice_message=_l("Choose what the token may do"))
    expires_in_days = IntegerField(
        _l("Days until it stops working"),
        default=lambda: current_app.config["API_TOKEN_LIFETIME"].days,
        validators=[InputRequired(_l("Enter a number of days from %(low)d to %(high)d", low=MIN_DAYS, high=MAX_DAYS))],
        invalid_value_message=_l("Enter the days as a whole number, like 30"),
        render_kw={"inputmode": "numeric", "min": MIN_DAYS, "max": MAX_DAYS})
    submit = SubmitField(_l("Make the token"))
