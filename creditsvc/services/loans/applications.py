"""Loan applications: submission with an immediate assessment, listing, replay, review, bank decision."""

import json
from datetime import date, timedelta, tzinfo
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError, Conflict, Forbidden, Invalid, NotFound
from creditsvc.core.money import from_fen, to_fen
from creditsvc.core.principal import Principal
from creditsvc.infra.clock import COUNTY, start_of
from creditsvc.services.access.areas import in_area
from creditsvc.services.assessment import borrower
from creditsvc.services.assessment.inputs import (
    ScoringView,
    build_input,
    household_outstanding_fen,
    scoring_view,
)
from creditsvc.services.loans import lines
from creditsvc.services.loans.numbers import APPLICATION_SERIES, next_number, normalise
from creditsvc.services.platform import audit
from creditsvc.services.platform.paging import Page, paginate
from creditsvc.services.platform.scope import may_see, scoped
from creditsvc.services.programme import policy as programme
from lending import headroom
from models import Application
from models.base import utcnow
from scoring.decision import ReplayError, assess, replay

# A bank learns of an application only once it is approved and routed to it.
VISIBLE_TO_BANK = ("approved", "accepted", "rejected_by_bank", "disbursed")


def _money(a: Application) -> dict:
    return {"amount_fen": a.amount_fen, "approved_amount_fen": a.approved_amount_fen}


def submit(session: Session, actor: Principal, *, household_id: str, amount: Decimal,
           term_months: int, purpose: str, bank: str, on: date,
           borrower_member_id: str | None = None) -> Application:
    """Store an application with the assessment it got at once (active policy, champion model).

    BORROWER_MEMBER_ID names a member who borrows instead of the head. A household whose credit
    line holds borrows within it: the amount is capped by the line less what it owes."""
    view = scoring_view(session, household_id, borrower_member_id)
    policy, scorecard, result = _assess(session, view, amount, term_months, purpose, on)
    line = lines.check_view(view, policy, on)
    refusal = lines.cap_refusal(line, amount)
    if refusal is not None:
        raise refusal
    app = Application(
        borrower_member_id=borrower.normalised(session, household_id, borrower_member_id),
        credit_line_id=line.line.id if line is not None and line.valid else None,
        number=next_number(session, APPLICATION_SERIES, on.year),
        household_id=view.household_id, bank_code=bank, submitted_by=actor.user_id,
        submitted_on=on, amount_fen=to_fen(amount), term_months=term_months, purpose=purpose,
        status=result.decision, decision=result.decision,
        approved_amount_fen=to_fen(result.approved_amount) if result.approved_amount else None,
        grade=result.grade, score=result.score, pd=result.pd, policy_version=policy.version,
        model_sha256=scorecard.sha256, assessment=result.to_dict(), town=view.town,
        village=view.village)
    session.add(app)
    session.flush()
    # What the answer shows beside it, known here: not read again (application_facts.shown).
    app.credit_line = lines.as_met(line)
    if app.borrower_member_id is None:
        app.borrower = {"member_id": None, "relation": "head", "name": view.head_name_masked or ""}
    audit.record(session, actor, "application.submit", target_type="application",
                 target_id=app.id, after=_money(app),
                 detail={"number": app.number, "decision": app.decision, "grade": app.grade,
                         "policy_version": app.policy_version, "model_sha256": app.model_sha256,
                         "borrower_member_id": app.borrower_member_id,
                         "credit_line_id": app.credit_line_id})
    return app


def _assess(session: Session, view: ScoringView, amount: Decimal, term_months: int,
            purpose: str, on: date):
    """Assess a proposed loan with the active policy and the champion model."""
    policy, scorecard = view.in_force(session)
    inp = build_input(view, amount=amount, term_months=term_months, purpose=purpose, on=on)
    return policy, scorecard, assess(inp, policy, scorecard)


def outside_policy(session: Session, *, amount: Decimal | None,
                   term_months: int | None) -> list[Invalid]:
    """What the active policy refuses of a requested amount and term, beside each field.

    A page refuses these before anything is saved; the API's submission keeps them and the
    amount and term rules decline them with their reasons.
    """
    policy, refused = programme.active_policy(session), []
    if amount is not None and headroom.below_minimum(policy, to_fen(amount)):
        refused.append(Invalid("amount_below_minimum", fields=("amount",),
                               least=f"{policy.amount_min:.2f}"))
    elif amount is not None and headroom.above_maximum(policy, to_fen(amount)):
        refused.append(Invalid("amount_above_maximum", fields=("amount",),
                               most=f"{policy.amount_max:.2f}"))
    if term_months is not None and not policy.term_min <= term_months <= policy.term_max:
        refused.append(Invalid("term_outside_policy", fields=("term_months",),
                               least=policy.term_min, most=policy.term_max))
    return refused


def preview(session: Session, *, household_id: str, amount: Decimal, term_months: int,
            purpose: str, on: date, borrower_member_id: str | None = None) -> dict:
    """The whole assessment of a proposed application, saved nowhere (BORROWER_MEMBER_ID: a
    member borrowing instead of the head)."""
    view = scoring_view(session, household_id, borrower_member_id)
    _, _, result = _assess(session, view, amount, term_months, purpose, on)
    return json.loads(json.dumps(result.to_dict()))


def get(session: Session, actor: Principal, application_id: str, *, lock: bool = False) -> Application:
    """One application, or 404 when it does not exist or the caller's bank may not see it."""
    query = select(Application).where(Application.id == application_id)
    if lock:
        query = query.with_for_update()
    app = session.execute(query).scalar_one_or_none()
    if app is None or not may_see(actor, app.bank_code) or (
            actor.role == "bank" and app.status not in VISIBLE_TO_BANK):
        raise NotFound("application_not_found")
    return app


def applications_query(actor: Principal, *, status: str | None = None, bank: str | None = None,
                       town: str | None = None, submitted_from: date | None = None,
                       submitted_to: date | None = None, submitted_by: str | None = None,
                       not_submitted_by: str | None = None, area_of: str | None = None,
                       number: str | None = None, village: str | None = None, household_in=None,
                       tz: tzinfo = COUNTY):
    """The SELECT of the applications as filtered (see list_applications); its export reads it."""
    query = select(Application)
    query = scoped(query, actor, Application.bank_code)
    if actor.role == "bank":
        query = query.where(Application.status.in_(VISIBLE_TO_BANK))
    for column, value in ((Application.status, status), (Application.bank_code, bank),
                          (Application.town, town), (Application.submitted_by, submitted_by)):
        if value is not None:
            query = query.where(column == value)
    if not_submitted_by is not None:
        query = query.where(Application.submitted_by != not_submitted_by)
    if area_of is not None:
        query = query.where(in_area(area_of, Application.town, Application.village))
    if number is not None:
        query = query.where(Application.number == (normalise(number) or number.strip()))
    if village:
        query = query.where(Application.village.contains(village.strip(), autoescape=True))
    if household_in is not None:
        query = query.where(Application.household_id.in_(household_in))
    # The range is of the programme's dates: a day begins at midnight in the county.
    if submitted_from:
        query = query.where(Application.created_at >= start_of(submitted_from, tz))
    if submitted_to:
        query = query.where(Application.created_at < start_of(submitted_to + timedelta(days=1), tz))
    return query


def list_applications(session: Session, actor: Principal, *, page: int = 1,
                      page_size: int = 50, after: str | None = None, newest_first: bool = False,
                      **filters) -> Page:
    """A filtered page, oldest first (numbered, or after a cursor); a bank sees only its own
    approved-onward applications. NOT_SUBMITTED_BY leaves out a reviewer's own cases; AREA_OF
    keeps an officer's area (access.areas); NUMBER (as typed) finds one application; VILLAGE is
    any part of its name; HOUSEHOLD_IN a SELECT of household ids (a search's)."""
    return paginate(session, applications_query(actor, **filters), Application, after=after,
                    page=page, page_size=page_size, newest_first=newest_first)


def replay_assessment(session: Session, actor: Principal, application_id: str) -> dict:
    """Recompute the stored assessment with its own policy version and model; show both."""
    app = get(session, actor, application_id)
    policy = programme.policy_version(session, app.policy_version)
    scorecard = programme.scorecard_by_sha(session, app.model_sha256)
    try:
        again = json.loads(json.dumps(replay(app.assessment, policy, scorecard).to_dict()))
    except ReplayError as exc:
        raise Conflict("replay_unavailable", reason=str(exc)) from exc
    return {"application_id": app.id, "matches": again == app.assessment,
            "policy_version": app.policy_version, "model_sha256": app.model_sha256,
            "stored": app.assessment, "replayed": again}


def review_cap(session: Session, app: Application) -> Decimal:
    """The most a reviewer may approve of APP, in yuan (shown beside the review form)."""
    return from_fen(max(_review_cap_fen(session, app), 0))


def _review_cap_fen(session: Session, app: Application) -> int:
    """The most a reviewer may approve: requested, grade limit, policy maximum, headroom."""
    policy = programme.policy_version(session, app.policy_version)
    limit = app.assessment.get("limit")
    owed = household_outstanding_fen(session, app.household_id)
    cap = headroom.review_cap_fen(policy, app.amount_fen, Decimal(limit) if limit else None, owed)
    if app.credit_line_id is not None:  # made within a line: the line caps it too
        cap = min(cap, lines.within_line_fen(session, app.credit_line_id, owed))
    return cap


def _reviewed_amount(session: Session, app: Application, approved_amount: Decimal | None) -> int:
    """The amount a reviewer names: the policy's minimum up to the review cap, both inclusive."""
    if approved_amount is None:
        raise Invalid("approved_amount_required", fields=("approved_amount",))
    policy = programme.policy_version(session, app.policy_version)
    amount, cap = to_fen(approved_amount), _review_cap_fen(session, app)
    if cap <= 0:
        raise Conflict("no_headroom", fields=("approved_amount",))
    if headroom.below_minimum(policy, amount):
        raise Invalid("amount_below_minimum", fields=("approved_amount",),
                      least=f"{policy.amount_min:.2f}")
    if amount > cap:
        raise Invalid("amount_above_limit", fields=("approved_amount",), most=f"{from_fen(cap):.2f}")
    return amount


def approved_amount_refusal(session: Session, app: Application,
                            approved_amount: Decimal | None) -> AppError | None:
    """Why a reviewer may not approve APPROVED_AMOUNT of APP; None when they may."""
    try:
        _reviewed_amount(session, app, approved_amount)
    except AppError as exc:
        return exc
    return None


def review(session: Session, actor: Principal, app: Application, *, approve: bool, note: str,
           approved_amount: Decimal | None = None) -> Application:
    """A person's decision on a referred application; never by its submitter, never past a hard rule.

    APP is the application as `get(..., lock=True)` loaded it in the caller's transaction.
    """
    if app.submitted_by == actor.user_id:
        raise Forbidden("reviewer_is_submitter")
    if any(r.get("outcome") == "fail" for r in app.assessment.get("rules", [])):
        raise Conflict("hard_rule_failed")
    if app.status != "referred":
        raise Conflict("invalid_transition")
    before = _money(app)
    if approve:
        app.approved_amount_fen = _reviewed_amount(session, app, approved_amount)
    app.status = "approved" if approve else "declined"
    app.reviewed_by, app.reviewed_at, app.review_note = actor.user_id, utcnow(), note
    audit.record(session, actor, "application.review", target_type="application",
                 target_id=app.id, before=before, after=_money(app),
                 detail={"status": app.status, "note": note})
    return app


def bank_decision(session: Session, actor: Principal, app: Application, *, accept: bool,
                  reason: str, today: date) -> Application:
    """The routed bank accepts or rejects an approved application (loaded locked) after its due diligence.

    TODAY, the business date, is kept as the day of acceptance: no disbursement is dated before it.
    """
    if app.status != "approved":
        raise Conflict("invalid_transition")
    app.status = "accepted" if accept else "rejected_by_bank"
    app.bank_decided_by, app.bank_decided_at, app.bank_note = actor.user_id, utcnow(), reason
    app.accepted_on = today if accept else None
    audit.record(session, actor, "application.bank_decision", target_type="application",
                 target_id=app.id, before=_money(app), after=_money(app),
                 detail={"status": app.status, "reason": reason, "on": today.isoformat()})
    session.flush()
    return app
