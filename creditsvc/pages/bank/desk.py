"""工作台: the bank's figures, each linking to the list it counts."""

from flask import render_template

from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.bank.blueprint import bp
from creditsvc.services.fund.rules import rules_for
from creditsvc.services.loans import bank_desk
from creditsvc.services.loans.coming_due import due_counts
from lending.schedule import COMING_DUE_DAYS, FALLEN_DUE_DAYS


@bp.get("")
@page_roles("bank")
def desk():
    """The queue, loans coming and fallen due, the loans by 五级分类, those that may be claimed,
    the claims by status."""
    rules = rules_for(db.session)
    counts = bank_desk.desk_counts(db.session, actor(), rules.claim_trigger_dpd)
    return render_template("bank/desk.html", counts=counts, trigger=rules.claim_trigger_dpd,
                           due=due_counts(db.session, actor(), today=clock.today()),
                           ahead=COMING_DUE_DAYS, behind=FALLEN_DUE_DAYS)
