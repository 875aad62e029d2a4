"""The papers: 授信通知书, 贷款推荐表, 公示名单, 代偿申请表, 还款计划表, 财政贴息清单 (each a PDF
download).

Personal data on paper is masked, as on screen. An officer may print the notice or the
推荐表 with the head's name and ID number in clear, for a reason: the household page's own
reveal (audited with its reason) gives the clear values; the print is audited as revealed.
"""

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.applications.assessment import explained
from creditsvc.pages.households.blueprint import cipher
from creditsvc.pages.papers.respond import print_paper
from creditsvc.pages.validation import form_to_data, load_form
from creditsvc.schemas.households import RevealInSchema
from creditsvc.services.households import files as households
from creditsvc.services.loans import applications
from creditsvc.services.papers import documents, loan_papers, subsidy_papers
from creditsvc.services.papers.grid import grid
from creditsvc.services.platform.uow import UnitOfWork

bp = Blueprint("papers", __name__, url_prefix="/papers")
bp.add_app_template_global(grid, "paper_grid")


def _revealed(figures: dict, reason: str) -> dict:
    """FIGURES with the head's name and ID number in clear (audited as household.reveal)."""
    household_id = figures["household"]["id"]
    with UnitOfWork(db.session) as uow:
        clear = households.reveal_household(uow.session, actor(), cipher(), household_id, reason)
        uow.commit()
    out = {**figures, "household": {**figures["household"], "head_name": clear["head_name"],
                                    "id_number": clear["id_number"]}}
    if out.get("borrower", {}).get("relation") == "head":
        out["borrower"] = {**out["borrower"], "name": clear["head_name"]}
    return out


def _print_or_reveal(kind, figures: dict, target_type: str, target_id: str, title: str):
    """GET: the masked paper. POST: the paper in clear for the reason given (or the form again)."""
    if request.method == "GET":
        return print_paper(kind, figures, target_type=target_type, target_id=target_id)
    raw = form_to_data(request.form)
    data, errors = load_form(RevealInSchema(), raw)
    if errors:
        return render_template("papers/reveal.html", title=title, errors=errors, values=raw,
                               action=request.path), 422
    return print_paper(kind, _revealed(figures, data["reason"]), target_type=target_type,
                       target_id=target_id, revealed=True)


@bp.get("/households/<string(maxlength=36):household_id>/credit-line-notice/reveal")
@bp.get("/applications/<string(maxlength=36):application_id>/recommendation/reveal")
@page_roles("officer")
def reveal_form(household_id=None, application_id=None):
    """The form that asks why a paper must show the head's name and ID number in clear."""
    if household_id:
        households.get_household(db.session, household_id)  # another's id: the 404 page
        title = _("授信通知书")
    else:
        documents.recommendation(db.session, applications.get(db.session, actor(), application_id))
        title = _("贷款推荐表")
    return render_template("papers/reveal.html", title=title, errors={}, values={},
                           action=request.path.removesuffix("/reveal"))


@bp.route("/households/<string(maxlength=36):household_id>/credit-line-notice",
          methods=["GET", "POST"])
@page_roles("officer")
def credit_line_notice(household_id):
    """授信通知书: the household's credit line that holds today."""
    figures = documents.credit_line_notice(db.session, household_id, clock.today())
    return _print_or_reveal(documents.NOTICE, figures, "household", household_id,
                            _("授信通知书"))


@bp.route("/applications/<string(maxlength=36):application_id>/recommendation",
          methods=["GET", "POST"])
@page_roles("officer", "bank")
def recommendation(application_id):
    """贷款推荐表: the approved application and its assessment's summary, to the bank."""
    if request.method == "POST" and actor().role != "officer":
        abort(403)  # only an officer reveals a household's personal data
    app = applications.get(db.session, actor(), application_id)
    figures = documents.recommendation(db.session, app)
    # The reasons worded as the application page words them (pages/applications/assessment).
    figures["assessment"]["reasons"] = explained(app.assessment or {})["reasons"]
    return _print_or_reveal(documents.RECOMMENDATION, figures, "application", application_id,
                            _("贷款推荐表"))


@bp.get("/campaigns/<campaign_id>/notice")
@page_roles("officer")
def publicity(campaign_id):
    """评级授信公示名单: the campaign's list as posted, with the committee's signatures."""
    figures = documents.publicity(db.session, actor(), campaign_id)
    return print_paper(documents.PUBLICITY, figures, target_type="campaign", target_id=campaign_id)


@bp.get("/claims/<string(maxlength=36):claim_id>")
@page_roles("bank", "fund_manager")
def claim_form(claim_id):
    """代偿申请表: the claim's calculation, the loan's history, the three sign-offs."""
    figures = loan_papers.claim_form(db.session, actor(), claim_id)
    return print_paper(loan_papers.CLAIM_FORM, figures, target_type="claim", target_id=claim_id)


@bp.get("/loans/<string(maxlength=36):loan_id>/schedule")
@page_roles("bank", "officer", "fund_manager")
def schedule(loan_id):
    """还款计划表: the loan's instalments, due and paid."""
    figures = loan_papers.schedule(db.session, actor(), loan_id)
    return print_paper(loan_papers.SCHEDULE, figures, target_type="loan", target_id=loan_id)


@bp.get("/subsidy-statements/<string(maxlength=36):statement_id>")
@page_roles("fund_manager", "bank")
def subsidy_statement(statement_id):
    """财政贴息清单: a bank's quarter, a line per loan, totals, the three sign-offs (a bank: its
    own, once announced)."""
    figures = subsidy_papers.subsidy_statement(db.session, actor(), statement_id)
    return print_paper(subsidy_papers.STATEMENT, figures, target_type="subsidy_statement",
                       target_id=statement_id)
