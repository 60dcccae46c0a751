from flask import Blueprint

bp = Blueprint("calculators", __name__, url_prefix="/calculators")
