"""Forms for signing in and for passwords. They check the shape of what was typed (required, the two new
passwords the same); the password rule is ``auth.passwords``', and the service's refusal comes back next
to the field it names."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from timebank.auth.passwords import MAX_LENGTH
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


class SignInForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password")),
                                                         Length(max=MAX_LENGTH)])
    submit = SubmitField(_l("Sign in"))


class ForgotPasswordForm(FlaskForm):
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


class ButtonForm(ServiceForm):
    """A form that is only a button (and its CSRF token)."""
