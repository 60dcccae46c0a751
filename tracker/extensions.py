"""Unbound Flask extensions, bound to the app in ``create_app``."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"

csrf = CSRFProtect()

# English only for now: no translations folder yet, so gettext returns the text as written
babel = Babel()
