"""Unbound Flask extensions, bound to the app in ``create_app``."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from tracker.translation import N_, translate

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = N_("Please sign in to see that page.")
# said in the language of the visitor sent to the sign-in page
login_manager.localize_callback = translate
login_manager.login_message_category = "info"

csrf = CSRFProtect()

# Its storage (RATELIMIT_STORAGE_URI) comes from TRACKER_RATELIMIT_STORAGE_URI.
limiter = Limiter(get_remote_address)
