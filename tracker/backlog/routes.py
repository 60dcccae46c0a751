from flask import Blueprint

bp = Blueprint("backlog", __name__, url_prefix="/backlog")
