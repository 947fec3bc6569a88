"""Extension instances, created unbound and wired to the app in ``create_app``."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from timebank.api.core import TimebankApi

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
migrate = Migrate()
#: flask-smorest, with this app's problem+json errors (see ``timebank.api.core``).
api = TimebankApi()
