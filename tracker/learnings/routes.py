from flask import Blueprint

bp = Blueprint("learnings", __name__, url_prefix="/learnings")
