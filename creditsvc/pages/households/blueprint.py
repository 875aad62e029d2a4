"""The household files' blueprint, shared by its list, file page and form modules."""

from flask import Blueprint, current_app

bp = Blueprint("household_files", __name__, url_prefix="/households")


def cipher():
    """The app's personal-data cipher (encryption and keyed hashes)."""
    return current_app.extensions["creditsvc.core.pii"]
