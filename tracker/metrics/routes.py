from flask import Blueprint

bp = Blueprint("metrics", __name__, url_prefix="/metrics")
