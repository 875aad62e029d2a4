"""The fund's invariants, checked against the books, and the service's other kept counts
(应贷未贷's, campaign.reconcile): each break is named."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.services.campaign.reconcile import waiting_breaks
from creditsvc.services.fund.ledger import FUND_COLUMNS
from lending.classification import NON_PERFORMING as NPL_CLASSES
from models import BankExposure, Claim, ExposureTotal, Fund, JournalEntry, Loan, Posting


def _sum(column):
    return func.coalesce(func.sum(column), 0)


def reconcile(session: Session) -> list[str]:
    """Every invariant of the fund; returns the breaks (empty when the books hold)."""
    breaks: list[str] = []
    unbalanced = session.execute(
        select(Posting.entry_id, _sum(Posting.amount_fen)).group_by(Posting.entry_id)
        .having(_sum(Posting.amount_fen) != 0)).all()
    breaks += [f"journal entry {eid} is unbalanced by {total} fen" for eid, total in unbalanced]
    bare = session.execute(select(func.count()).select_from(JournalEntry).where(
        ~select(Posting.id).where(Posting.entry_id == JournalEntry.id).exists())).scalar_one()
    if bare:
        breaks.append(f"{bare} journal entries have no postings")
    fund = session.execute(select(Fund).where(Fund.id == 1)).scalar_one()
    by_account = dict(session.execute(
        select(Posting.account, _sum(Posting.amount_fen)).group_by(Posting.account)).all())
    for account, (column, sign) in FUND_COLUMNS.items():
        want = sign * int(by_account.get(account, 0))
        have = getattr(fund, column)
        if have != want:
            breaks.append(f"fund.{column} is {have} but the ledger's {account} says {want}")
    active = select(Loan).where(Loan.status == "active").subquery()
    total = session.execute(select(_sum(active.c.outstanding_principal_fen))).scalar_one()
    if fund.guaranteed_outstanding_fen != total:
        breaks.append(f"fund.guaranteed_outstanding_fen is {fund.guaranteed_outstanding_fen} "
                      f"but active loans owe {total}")
    npl = session.execute(select(_sum(active.c.outstanding_principal_fen))
                          .where(active.c.classification.in_(NPL_CLASSES))).scalar_one()
    if fund.npl_outstanding_fen != npl:
        breaks.append(f"fund.npl_outstanding_fen is {fund.npl_outstanding_fen} but non-performing "
                      f"active loans owe {npl}")
    per_bank = dict(session.execute(select(active.c.bank_code, _sum(active.c.outstanding_principal_fen))
                                    .group_by(active.c.bank_code)).all())
    for row in session.execute(select(BankExposure)).scalars():
        want = int(per_bank.get(row.bank_code, 0))
        if row.outstanding_fen != want:
            breaks.append(f"bank_exposure {row.bank_code} is {row.outstanding_fen} "
                          f"but its active loans owe {want}")
    twice = session.execute(select(Claim.loan_id).where(Claim.status == "paid")
                            .group_by(Claim.loan_id).having(func.count() > 1)).scalars().all()
    breaks += [f"loan {lid} has more than one paid claim" for lid in twice]
    draws = session.execute(select(JournalEntry.claim_id).where(
        JournalEntry.kind == "claim_draw", JournalEntry.reverses_id.is_(None))
        .group_by(JournalEntry.claim_id).having(func.count() > 1)).scalars().all()
    breaks += [f"claim {cid} was drawn more than once" for cid in draws]
    breaks += _reversal_breaks(session)
    paid = session.execute(select(_sum(Claim.amount_fen)).where(Claim.status == "paid")).scalar_one()
    if fund.claims_paid_fen != paid:
        breaks.append(f"fund.claims_paid_fen is {fund.claims_paid_fen} but paid claims total {paid}")
    breaks += _totals_breaks(session)
    breaks += waiting_breaks(session)
    return breaks


def _reversal_breaks(session: Session) -> list[str]:
    """A paid claim's draw stands; a reversed claim's draw is reversed, exactly once."""
    draws = select(JournalEntry.id, JournalEntry.claim_id).where(
        JournalEntry.kind == "claim_draw").subquery()
    mirrors = select(JournalEntry.reverses_id).where(JournalEntry.reverses_id.is_not(None))
    rows = session.execute(
        select(Claim.id, Claim.status, func.count(draws.c.id),
               func.count(draws.c.id).filter(draws.c.id.in_(mirrors)))
        .outerjoin(draws, draws.c.claim_id == Claim.id)
        .where(Claim.status.in_(("paid", "reversed"))).group_by(Claim.id, Claim.status)).all()
    breaks = []
    for claim_id, status, drawn, undone in rows:
        if drawn != 1:
            breaks.append(f"{status} claim {claim_id} has {drawn} draws")
        elif status == "paid" and undone:
            breaks.append(f"paid claim {claim_id} has its draw reversed")
        elif status == "reversed" and not undone:
            breaks.append(f"reversed claim {claim_id} still has its draw standing")
    return breaks


def _totals_breaks(session: Session) -> list[str]:
    """exposure_totals (kept by triggers) against a scan of the loans."""
    kept = {(r.dimension, r.key): (r.loans, r.outstanding_fen)
            for r in session.execute(select(ExposureTotal).where(ExposureTotal.loans != 0)).scalars()}
    want = {("status", s): (int(n), int(o)) for s, n, o in session.execute(
        select(Loan.status, func.count(), _sum(Loan.outstanding_principal_fen)).group_by(Loan.status))}
    dims = {"bank": Loan.bank_code, "town": Loan.town, "grade": func.coalesce(Loan.grade, ""),
            "purpose": Loan.purpose, "classification": Loan.classification,
            "village": Loan.town + "/" + Loan.village}
    for dim, col in dims.items():
        want.update({(dim, k): (int(n), int(o)) for k, n, o in session.execute(
            select(col, func.count(), _sum(Loan.outstanding_principal_fen))
            .where(Loan.status == "active").group_by(col))})
    kept = {k: v for k, v in kept.items() if k[0] != "dpd_bucket"}
    return [f"exposure_totals {dim}={key} is {kept.get((dim, key))} but the loans say "
            f"{want.get((dim, key))}" for dim, key in sorted(set(kept) | set(want))
            if kept.get((dim, key)) != want.get((dim, key))]
