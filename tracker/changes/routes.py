from flask import Blueprint

bp = Blueprint("changes", __name__, url_prefix="/changes")
