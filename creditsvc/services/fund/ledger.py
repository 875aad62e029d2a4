"""The fund's double-entry ledger: balanced, immutable entries; the Fund row moves with them.

Every entry's postings sum to zero (debit positive, credit negative). The Fund row's
balance and counters follow from the postings in ONE conditional UPDATE in the same
transaction, so the row always equals the ledger and a draw can never take the balance
below zero, whatever runs concurrently: the WHERE re-checks the committed value
(PostgreSQL re-evaluates it after a concurrent writer commits; SQLite holds the write
lock from BEGIN IMMEDIATE).
"""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict
from creditsvc.core.principal import Principal
from models import Fund, JournalEntry, Posting
from models.fund import ACCOUNTS

# How each account's postings move a Fund column: column, sign.
FUND_COLUMNS = {
    "fund_cash": ("balance_fen", 1),
    "contributions": ("capital_fen", -1),
    "claims_paid": ("claims_paid_fen", 1),
    "recoveries": ("recovered_fen", -1),
}


class UnbalancedEntry(ValueError):
    """Postings that do not sum to zero, name an unknown account, or carry a zero amount."""


class FundExhausted(Conflict):
    """The fund's balance is too low for this draw."""

    code = "fund_exhausted"


def _check(postings: list[tuple[str, int]]) -> None:
    if len(postings) < 2:
        raise UnbalancedEntry("an entry needs at least two postings")
    for account, amount in postings:
        if account not in ACCOUNTS:
            raise UnbalancedEntry(f"unknown account {account!r}")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
            raise UnbalancedEntry(f"posting on {account} must be a non-zero integer of fen")
    if sum(amount for _, amount in postings) != 0:
        raise UnbalancedEntry("postings do not sum to zero")


def _move_fund(session: Session, postings: list[tuple[str, int]]) -> int | None:
    """Apply the postings to the Fund row; return the new balance, or None if it would go negative."""
    deltas: dict[str, int] = {}
    for account, amount in postings:
        if account in FUND_COLUMNS:
            column, sign = FUND_COLUMNS[account]
            deltas[column] = deltas.get(column, 0) + sign * amount
    cash = deltas.get("balance_fen", 0)
    stmt = update(Fund).where(Fund.id == 1)
    if cash < 0:
        # The draw: balance = balance - :a WHERE balance >= :a, one statement.
        stmt = stmt.where(Fund.balance_fen >= -cash)
    values = {column: getattr(Fund, column) + delta for column, delta in deltas.items()}
    row = session.execute(stmt.values(**values).returning(Fund.balance_fen)
                          .execution_options(synchronize_session=False)).first()
    return None if row is None else row[0]


def post(session: Session, actor: Principal, kind: str, postings: Iterable[tuple[str, int]], *,
         effective_on: date, memo: str | None = None, claim_id: str | None = None,
         loan_id: str | None = None, reverses_id: str | None = None) -> JournalEntry:
    """Post one balanced entry and move the Fund row with it; the caller commits.

    Raises FundExhausted (409) when the entry would take the balance below zero.
    """
    postings = list(postings)
    _check(postings)
    balance = _move_fund(session, postings)
    if balance is None:
        raise FundExhausted()
    entry = JournalEntry(kind=kind, effective_on=effective_on, memo=memo, claim_id=claim_id,
                         loan_id=loan_id, reverses_id=reverses_id, created_by=actor.user_id,
                         postings=[Posting(account=a, amount_fen=n) for a, n in postings])
    session.add(entry)
    session.flush()
    entry.balance_after_fen = balance  # for the caller's audit record; not a column
    return entry


def reverse(session: Session, actor: Principal, entry: JournalEntry, *, effective_on: date,
            memo: str) -> JournalEntry:
    """Post the mirror of ENTRY (every amount negated); an entry is reversed at most once.

    The unique reverses_id is the last line of defence against two reversals racing.
    """
    if entry.reverses_id is not None:
        raise Conflict("reversal_of_reversal")
    if session.execute(select(JournalEntry.id).where(JournalEntry.reverses_id == entry.id)).first():
        raise Conflict("already_reversed")
    mirror = [(p.account, -p.amount_fen) for p in entry.postings]
    return post(session, actor, f"reversal:{entry.kind}"[:32], mirror, effective_on=effective_on,
                memo=memo, claim_id=entry.claim_id, loan_id=entry.loan_id, reverses_id=entry.id)
