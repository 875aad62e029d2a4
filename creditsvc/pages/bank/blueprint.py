"""The bank desk's blueprint, apart from the package so that its route modules import no cycle."""

from flask import Blueprint

bp = Blueprint("bank", __name__, url_prefix="/bank")
