"""Contributions, deposit interest, the fund's view and its ledger listing."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from creditsvc.core.errors import Conflict, Invalid, NotFound
from creditsvc.core.money import fmt_yuan, ratio, to_fen
from creditsvc.core.principal import Principal
from creditsvc.services.fund import ledger
from creditsvc.services.platform import audit
from lending import fund as fund_rules
from models import BankExposure, Fund, JournalEntry, Posting
from scoring.policy import Policy


def _inflow(session: Session, actor: Principal, kind: str, account: str, amount_fen: int,
            on: date, memo: str | None) -> JournalEntry:
    entry = ledger.post(session, actor, kind, [("fund_cash", amount_fen), (account, -amount_fen)],
                        effective_on=on, memo=memo)
    after = entry.balance_after_fen
    audit.record(session, actor, f"fund.{kind}", target_type="journal_entry", target_id=entry.id,
                 before={"balance_fen": after - amount_fen}, after={"balance_fen": after},
                 detail={"amount_fen": amount_fen, "effective_on": on.isoformat()})
    session.flush()
    return entry


def contribute(session: Session, actor: Principal, amount_fen: int, on: date,
               memo: str | None = None) -> JournalEntry:
    """Record a contribution (top-up): raises the fund's capital and its balance."""
    return _inflow(session, actor, "contribution", "contributions", amount_fen, on, memo)


def initialise(session: Session, actor: Principal, rules: Policy, on: date,
               capital_fen: int | None = None) -> JournalEntry | None:
    """Give a fresh fund its capital (the policy's fund_capital unless CAPITAL_FEN), once.

    Returns the contribution posted, or None when the fund already holds exactly this
    capital (running set-up twice changes nothing); a fund with other capital is refused:
    more money is a contribution, less a reversal, both on the ledger.
    """
    amount = to_fen(rules.fund_capital) if capital_fen is None else capital_fen
    if amount <= 0:
        raise Invalid("invalid_amount", fields=("capital",))
    fund = session.execute(select(Fund).where(Fund.id == 1).with_for_update()).scalar_one()
    if fund.capital_fen == amount:
        return None
    if fund.capital_fen:
        raise Conflict("fund_already_initialised", capital=fmt_yuan(fund.capital_fen))
    entry = contribute(session, actor, amount, on, "initial capital (fund init)")
    audit.record(session, actor, "fund.init", target_type="journal_entry", target_id=entry.id,
                 before={"capital_fen": 0}, after={"capital_fen": amount},
                 detail={"policy_version": rules.version,
                         "policy_fund_capital_fen": to_fen(rules.fund_capital)})
    return entry


def add_interest(session: Session, actor: Principal, amount_fen: int, on: date,
                 memo: str | None = None) -> JournalEntry:
    """Record deposit interest: raises the balance only (capital is what was contributed)."""
    return _inflow(session, actor, "deposit_interest", "deposit_interest", amount_fen, on, memo)


@dataclass(frozen=True)
class BankCapacity:
    """A bank's allocation of the leverage cap, its outstanding and what is left."""

    bank_code: str
    share: Decimal
    cap_fen: int
    outstanding_fen: int
    available_fen: int


@dataclass(frozen=True)
class FundView:
    """The fund at a glance, read in O(1) from the Fund and BankExposure rows."""

    capital_fen: int
    policy_capital_fen: int
    balance_fen: int
    leverage: int
    leverage_cap_fen: int
    guaranteed_outstanding_fen: int
    available_capacity_fen: int
    banks: list[BankCapacity]
    contingent_liability_fen: int
    coverage_ratio: Decimal | None
    npl_outstanding_fen: int
    npl_ratio: Decimal | None
    claims_paid_fen: int
    recovered_fen: int
    lending_suspended: bool
    suspension_reasons: list[str]
    policy_version: int


def suspension_reasons(fund: Fund, rules: Policy) -> list[str]:
    """Why lending is suspended now: NPL ratio at tolerance, balance below the floor (or [])."""
    return fund_rules.suspension_reasons(fund_rules.FundPosition(
        fund.capital_fen, fund.balance_fen, fund.guaranteed_outstanding_fen,
        fund.npl_outstanding_fen), rules)


def lending_suspended(session: Session, rules: Policy) -> list[str]:
    """The reasons lending is suspended (empty when it is not); for the disbursement check."""
    return suspension_reasons(session.get(Fund, 1, populate_existing=True), rules)


def fund_view(session: Session, rules: Policy) -> FundView:
    """Capital, balance, caps, capacity overall and per bank, liability, coverage, suspension."""
    fund = session.execute(select(Fund).where(Fund.id == 1)).scalar_one()
    exposures = session.execute(select(BankExposure).order_by(BankExposure.bank_code)).scalars()
    cap = fund_rules.leverage_cap_fen(fund.capital_fen, rules.leverage)
    out = fund.guaranteed_outstanding_fen
    banks = []
    for row in exposures:
        share = fund_rules.bank_share(rules, row.bank_code)
        bank_cap = fund_rules.bank_cap_fen(cap, share)
        banks.append(BankCapacity(row.bank_code, share, bank_cap, row.outstanding_fen,
                                  fund_rules.bank_available_fen(bank_cap, row.outstanding_fen,
                                                                cap, out)))
    contingent = fund_rules.contingent_liability_fen(out, rules.fund_loss_share)
    reasons = suspension_reasons(fund, rules)
    return FundView(
        capital_fen=fund.capital_fen, policy_capital_fen=to_fen(rules.fund_capital),
        balance_fen=fund.balance_fen, leverage=rules.leverage,
        leverage_cap_fen=cap, guaranteed_outstanding_fen=out,
        available_capacity_fen=fund_rules.available_fen(cap, out), banks=banks,
        contingent_liability_fen=contingent,
        coverage_ratio=ratio(fund.balance_fen, contingent),
        npl_outstanding_fen=fund.npl_outstanding_fen,
        npl_ratio=ratio(fund.npl_outstanding_fen, out),
        claims_paid_fen=fund.claims_paid_fen, recovered_fen=fund.recovered_fen,
        lending_suspended=bool(reasons), suspension_reasons=reasons, policy_version=rules.version)


def _ledger_filter(query, kind: str | None, start: date | None, end: date | None):
    if kind:
        query = query.where(JournalEntry.kind == kind)
    if start:
        query = query.where(JournalEntry.effective_on >= start)
    if end:
        query = query.where(JournalEntry.effective_on <= end)
    return query


def ledger_query(*, kind: str | None = None, start: date | None = None,
                 end: date | None = None):
    """The SELECT of the journal entries as filtered; the ledger and its export read it."""
    return _ledger_filter(select(JournalEntry), kind, start, end)


def list_ledger(session: Session, *, offset: int, limit: int, kind: str | None = None,
                start: date | None = None, end: date | None = None,
                ) -> tuple[list[JournalEntry], int]:
    """A page of journal entries with their postings, newest first, and the total."""
    total = session.execute(_ledger_filter(select(func.count()).select_from(JournalEntry),
                                           kind, start, end)).scalar_one()
    items = session.execute(ledger_query(kind=kind, start=start, end=end)
        .options(selectinload(JournalEntry.postings))
        .order_by(JournalEntry.occurred_at.desc(), JournalEntry.id).offset(offset).limit(limit)
    ).scalars().all()
    return list(items), total


def ledger_totals(session: Session, *, kind: str | None = None, start: date | None = None,
                  end: date | None = None) -> dict[str, tuple[int, int]]:
    """Per kind of entry: (entries, net movement of the fund's cash in fen), over the filter."""
    rows = session.execute(_ledger_filter(
        select(JournalEntry.kind, func.count(func.distinct(JournalEntry.id)),
               func.coalesce(func.sum(Posting.amount_fen), 0))
        .join(Posting, (Posting.entry_id == JournalEntry.id) & (Posting.account == "fund_cash")),
        kind, start, end).group_by(JournalEntry.kind).order_by(JournalEntry.kind)).all()
    return {k: (int(n), int(cash)) for k, n, cash in rows}


def get_entry(session: Session, entry_id: str) -> JournalEntry:
    """One journal entry with its postings, or 404."""
    entry = session.execute(select(JournalEntry).options(selectinload(JournalEntry.postings))
                            .where(JournalEntry.id == entry_id)).scalar_one_or_none()
    if entry is None:
        raise NotFound("entry_not_found")
    return entry


def reversed_entry_ids(session: Session, entry_ids: list[str]) -> set[str]:
    """Which of these entries already have their reversing entry."""
    if not entry_ids:
        return set()
    return set(session.execute(select(JournalEntry.reverses_id).where(
        JournalEntry.reverses_id.in_(entry_ids))).scalars())


# Entries a fund manager keyed in by hand, and so may reverse when they were wrong. Claim
# draws and recoveries are not: undoing one also means undoing a claim or a loan's state.
REVERSIBLE = ("contribution", "deposit_interest")


def reverse_entry(session: Session, actor: Principal, entry_id: str, *, reason: str,
                  on: date) -> JournalEntry:
    """Fix a mistaken contribution or interest entry with its mirror entry (never an edit)."""
    entry = get_entry(session, entry_id)
    if entry.kind not in REVERSIBLE:
        raise Conflict("not_reversible")
    mirror = ledger.reverse(session, actor, entry, effective_on=on, memo=reason)
    cash = sum(p.amount_fen for p in entry.postings if p.account == "fund_cash")
    after = mirror.balance_after_fen
    audit.record(session, actor, "fund.reversal", target_type="journal_entry", target_id=mirror.id,
                 before={"balance_fen": after + cash}, after={"balance_fen": after},
                 detail={"reverses": entry.id, "kind": entry.kind, "reason": reason})
    session.flush()
    return mirror
