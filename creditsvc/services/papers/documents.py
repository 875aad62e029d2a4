"""The figures of the papers about households: the credit-line notice (授信通知书), the
贷款推荐表 and a campaign's 公示 list. Figures are what the paper prints, as the API gives
them (decimal strings in yuan, ISO dates), personal data masked."""

from datetime import date

from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict
from creditsvc.core.money import fmt_yuan
from creditsvc.core.principal import Principal
from creditsvc.services.campaign.campaigns import area_label, get_campaign
from creditsvc.services.campaign.grant import line_history
from creditsvc.services.campaign.notice import notice_list
from creditsvc.services.households.files import get_household
from creditsvc.services.loans.application_facts import borrower_of
from creditsvc.services.loans.lines import line_check
from creditsvc.services.papers.render import PaperKind
from models import Application, Household

NOTICE = PaperKind("credit_line_notice", "TZ", "papers/credit_line_notice.html", "授信通知书")
RECOMMENDATION = PaperKind("loan_recommendation", "TJ", "papers/recommendation.html", "贷款推荐表")
PUBLICITY = PaperKind("campaign_notice", "GS", "papers/publicity.html", "评级授信公示名单")


def household_figures(h: Household) -> dict:
    """The household as every paper names it: masked head, masked ID number, where."""
    return {"id": h.id, "head_name": h.head_name_masked, "id_number": h.id_number_masked,
            "town": h.town, "village": h.village}


def credit_line_notice(session: Session, household_id: str, today: date) -> dict:
    """The notice of the household's credit line that holds today (409 when none holds)."""
    h = get_household(session, household_id)
    check = line_check(session, household_id, today)
    if check is None or not check.valid:
        raise Conflict("paper_no_credit_line")
    numbers = {line.id: number for line, number in line_history(session, household_id)}
    line = check.line
    return {"household": household_figures(h),
            "line": {"id": line.id, "grade": line.grade, "line": fmt_yuan(line.line_fen),
                     "valid_from": line.valid_from.isoformat(),
                     "valid_until": line.valid_until.isoformat(),
                     "campaign_number": numbers.get(line.id),
                     "owed": fmt_yuan(check.owed_fen), "available": fmt_yuan(check.available_fen)}}


def recommendation(session: Session, app: Application) -> dict:
    """The 贷款推荐表 of an approved application (APP, read with the caller's scope), with its
    assessment's summary; the reasons are worded for the reader by the page (`reasons`)."""
    if app.status not in ("approved", "accepted", "disbursed"):
        raise Conflict("paper_not_approved")
    h = get_household(session, app.household_id)
    assessment = app.assessment or {}
    return {
        "application": {"id": app.id, "number": app.number, "bank": app.bank_code,
                        "amount": fmt_yuan(app.amount_fen),
                        "approved_amount": fmt_yuan(app.approved_amount_fen),
                        "term_months": app.term_months, "purpose": app.purpose,
                        "status": app.status, "decision": app.decision,
                        "submitted_on": app.submitted_on.isoformat()},
        "household": household_figures(h),
        "borrower": borrower_of(session, app.household_id, app.borrower_member_id),
        "assessment": {"grade": app.grade or "unrated",
                       "score": None if app.score is None else f"{app.score:.2f}",
                       "limit": assessment.get("limit"), "policy_version": app.policy_version,
                       "model": (app.model_sha256 or "")[:12]},
    }


def publicity(session: Session, actor: Principal, campaign_id: str) -> dict:
    """The campaign's 公示 list: every household proposed a line, masked, by village."""
    c = get_campaign(session, actor, campaign_id)
    rows = [{"head_name": h.head_name_masked, "id_number": h.id_number_masked,
             "village": h.village, "grade": grade, "line": fmt_yuan(e.proposed_line_fen)}
            for e, h, grade in notice_list(session, c.id)]
    return {"campaign": {"id": c.id, "number": c.number, "area": area_label(c),
                         "notice_from": c.notice_from.isoformat() if c.notice_from else None,
                         "notice_until": c.notice_until.isoformat() if c.notice_until else None},
            "rows": rows, "count": len(rows)}
