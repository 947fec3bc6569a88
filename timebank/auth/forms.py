from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address")),
                                                 Email(_l("Enter an email address like name@example.org")),
                                                 Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password")),
                                                         Length(max=1000)])
    submit = SubmitField(_l("Sign in"))
