"""The home page: each role's own desk."""

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

bp = Blueprint("home", __name__)

# Where each role starts; a role without one sees the home page.
DESKS = {"officer": "desk.index", "bank": "bank.desk", "admin": "admin.users_list",
         "fund_manager": "fund_office.overview"}


@bp.get("/")
@login_required
def index():
    """Send the user to their role's desk."""
    endpoint = DESKS.get(current_user.role)
    if endpoint in current_app.view_functions:
        return redirect(url_for(endpoint))
    return render_template("home/index.html")
