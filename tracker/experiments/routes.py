from flask import Blueprint

bp = Blueprint("experiments", __name__, url_prefix="/experiments")
