"""工作台: the officer's desk, counts that each open a filtered list."""

from flask import Blueprint, render_template

from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.services.campaign import lists
from creditsvc.services.households.officer_desk import desk_counts
from creditsvc.services.loans.coming_due import due_counts
from lending.schedule import COMING_DUE_DAYS, FALLEN_DUE_DAYS

bp = Blueprint("desk", __name__)


@bp.get("/desk")
@page_roles("officer")
def index():
    """The officer's desk: my files, credit lines, applications, cases to review, overdue, risk."""
    today = clock.today()
    in_force, unborrowed = lists.desk_counts(db.session, actor(), today=today)
    return render_template("desk/index.html", desk=desk_counts(db.session, actor(), today=today),
                           lines_in_force=in_force, unborrowed=unborrowed,
                           due=due_counts(db.session, actor(), today=today),
                           ahead=COMING_DUE_DAYS, behind=FALLEN_DUE_DAYS)
