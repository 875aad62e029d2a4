"""What a bank's desk reads: its queue of approved applications, its counts, its claimable loans.

Read-only, and bank-scoped through services/platform/scope like every other listing: a bank sees its
own applications (approved ones waiting for its decision), its own loans and claims.
"""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.core.money import to_fen
from creditsvc.core.principal import Principal
from creditsvc.infra.clock import COUNTY, start_of
from creditsvc.services.platform.paging import Page, paginate
from creditsvc.services.platform.scope import scoped
from lending.classification import CLASSES
from models import Application, Claim, Household, IdempotencyRecord, Loan, Recovery

# A reversed claim (paid in error, undone) does not stand: the loan may be claimed again.
NOT_STANDING = ("reversed",)


@dataclass(frozen=True)
class QueueFilters:
    """The 待受理 list's filters: town, grade, approved amount and submission dates."""

    town: str | None = None
    grade: str | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None


def queue_query(actor: Principal, f: QueueFilters, tz: tzinfo):
    """The SELECT of 待受理 as filtered: the list pages it, its export reads it whole."""
    query = scoped(select(Application), actor, Application.bank_code).where(
        Application.status == "approved")
    if f.town:
        query = query.where(Application.town == f.town)
    if f.grade:
        query = query.where(Application.grade == f.grade)
    if f.amount_min is not None:
        query = query.where(Application.approved_amount_fen >= to_fen(f.amount_min))
    if f.amount_max is not None:
        query = query.where(Application.approved_amount_fen <= to_fen(f.amount_max))
    if f.submitted_from:
        query = query.where(Application.created_at >= start_of(f.submitted_from, tz))
    if f.submitted_to:
        query = query.where(Application.created_at
                            < start_of(f.submitted_to + timedelta(days=1), tz))
    return query


def queue(session: Session, actor: Principal, filters: QueueFilters, *, after: str | None = None,
          page_size: int = 50, tz: tzinfo = COUNTY) -> Page:
    """Approved applications routed to the actor's bank, oldest first, a keyset page."""
    return paginate(session, queue_query(actor, filters, tz), Application, after=after,
                    page_size=page_size)


def masked_heads(session: Session, household_ids) -> dict[str, str]:
    """The masked head-of-household name of each household (never the name itself)."""
    ids = set(household_ids)
    if not ids:
        return {}
    return dict(session.execute(select(Household.id, Household.head_name_masked)
                                .where(Household.id.in_(ids))).all())


@dataclass(frozen=True)
class DeskCounts:
    """The figures of a bank's desk."""

    queue_count: int
    queue_fen: int
    by_class: dict[str, tuple[int, int]]  # class -> (loans, outstanding fen), active loans
    claimable: int
    claims: dict[str, tuple[int, int]] = field(default_factory=dict)  # status -> (claims, fen)


def desk_counts(session: Session, actor: Principal, trigger_dpd: int) -> DeskCounts:
    """The bank's queue, its active loans by 五级分类, loans it may claim on, claims by status."""
    count, fen = session.execute(queue_query(actor, QueueFilters(), COUNTY).with_only_columns(
        func.count(), func.coalesce(func.sum(Application.approved_amount_fen), 0))).one()
    rows = session.execute(scoped(
        select(Loan.classification, func.count(), func.coalesce(
            func.sum(Loan.outstanding_principal_fen), 0)), actor, Loan.bank_code)
        .where(Loan.status == "active").group_by(Loan.classification)).all()
    by_class = dict.fromkeys(CLASSES, (0, 0))
    by_class.update({c: (n, int(f)) for c, n, f in rows})
    claimable = session.execute(_claimable(actor, trigger_dpd).with_only_columns(
        func.count())).scalar_one()
    claims = session.execute(scoped(
        select(Claim.status, func.count(), func.coalesce(func.sum(Claim.amount_fen), 0)),
        actor, Claim.bank_code).group_by(Claim.status)).all()
    return DeskCounts(int(count), int(fen), by_class, int(claimable),
                      {s: (n, int(f)) for s, n, f in claims})


def _standing_claim():
    return (select(Claim.id).where(Claim.loan_id == Loan.id,
                                   Claim.status.not_in(NOT_STANDING)).exists())


def _claimable(actor: Principal, trigger_dpd: int):
    return scoped(select(Loan), actor, Loan.bank_code).where(
        Loan.status == "active", Loan.days_past_due >= trigger_dpd, ~_standing_claim())


def claimable_loans(session: Session, actor: Principal, trigger_dpd: int, *,
                    after: str | None = None, page_size: int = 50) -> Page:
    """Active loans of the bank at or past the claim trigger with no standing claim."""
    return paginate(session, _claimable(actor, trigger_dpd), Loan, after=after,
                    page_size=page_size)


def claims_of_loan(session: Session, loan_id: str) -> list[Claim]:
    """Every claim filed on a loan, the latest first (the caller has checked the loan is seen)."""
    return list(session.execute(select(Claim).where(Claim.loan_id == loan_id)
                                .order_by(Claim.filed_at.desc())).scalars())


def standing_claim(claims: list[Claim]) -> Claim | None:
    """The claim that stands on a loan (filed, paid or rejected), if any."""
    return next((c for c in claims if c.status not in NOT_STANDING), None)


def recoveries(session: Session, actor: Principal, *, loan_id: str | None = None,
               limit: int = 100) -> list[Recovery]:
    """The bank's recoveries (of one loan, or its latest), newest first."""
    query = scoped(select(Recovery), actor, Recovery.bank_code)
    if loan_id:
        query = query.where(Recovery.loan_id == loan_id)
    return list(session.execute(query.order_by(Recovery.recorded_at.desc()).limit(limit))
                .scalars())


def claimed_loans(session: Session, actor: Principal, *, limit: int = 200) -> list[Loan]:
    """The bank's loans whose claim the fund paid: where recoveries are recorded."""
    query = scoped(select(Loan), actor, Loan.bank_code).where(Loan.status == "claimed")
    return list(session.execute(query.order_by(Loan.closed_at.desc()).limit(limit)).scalars())


def stored_outcome(session: Session, user_id: str, token: str, kind: str) -> bytes | None:
    """The body a form's first post stored under its token, if it is an outcome of KIND.

    KIND is the Content-Type the form stored it with (a bulk acceptance's outcomes): the same
    user's other keys (a disbursement's form, an API call) hold other bodies, never shown here.
    """
    row = session.execute(select(IdempotencyRecord.response_body, IdempotencyRecord.response_headers)
                          .where(IdempotencyRecord.user_id == user_id,
                                 IdempotencyRecord.key == token)).first()
    if row is None or json.loads(row.response_headers or "{}").get("Content-Type") != kind:
        return None
    return row.response_body


def loan_of_application(session: Session, application_id: str) -> Loan | None:
    """The loan a disbursed application became (the caller has checked the application is seen)."""
    return session.execute(select(Loan).where(Loan.application_id == application_id)).scalar()


def applications_by_id(session: Session, ids) -> list[Application]:
    """The applications with these ids (the caller keeps only those its actor may see)."""
    return list(session.execute(select(Application).where(Application.id.in_(set(ids)))).scalars())
