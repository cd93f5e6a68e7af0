"""The console's blueprint and CSRF guard, apart so its page modules can import them."""
from flask import Blueprint
from flask_wtf.csrf import CSRFProtect

blp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")
csrf = CSRFProtect()
