"""The sign-in form and the API token forms."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length

from timebank.auth.models import MAX_NAME_LENGTH, TokenScope
from timebank.auth.tokens import MAX_DAYS, MIN_DAYS
from timebank.forms import ServiceForm


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address")),
                                                 Email(_l("Enter an email address like name@example.org")),
                                                 Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password")),
                                                         Length(max=1000)])
    submit = SubmitField(_l("Sign in"))


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


class RevokeTokenForm(ServiceForm):
    """Nothing to fill in: the confirmation page's button."""
