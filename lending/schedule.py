"""Repayment schedules in integer fen: pure functions, no database.

Interest accrues at the annual rate / 360 per day (the banks' day count); the
principal parts of every schedule add up exactly to the loan's principal.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from lending.dates import add_months, days_between, months_between
from lending.money import whole_fen

SCHEDULES = ("interest_quarterly", "equal_instalments")


@dataclass(frozen=True)
class Instalment:
    """One due date: principal and interest due on it, in fen."""

    seq: int
    due_on: date
    principal_fen: int
    interest_fen: int


def _accrual(principal_fen: int, rate_bp: int, start: date, end: date) -> Decimal:
    """Interest on PRINCIPAL_FEN from START to END at rate/360 a day, unrounded."""
    return Decimal(principal_fen) * rate_bp * days_between(start, end) / Decimal(10000 * 360)


def _interest(principal_fen: int, rate_bp: int, start: date, end: date) -> int:
    return whole_fen(_accrual(principal_fen, rate_bp, start, end))


def interest_quarterly(principal_fen: int, rate_bp: int, start: date, term_months: int) -> list[Instalment]:
    """按季付息、到期还本: interest every 3 months (a short last period), principal at maturity."""
    dues = [add_months(start, m) for m in range(3, term_months, 3)] + [add_months(start, term_months)]
    items, previous = [], start
    for seq, due in enumerate(dues, 1):
        principal = principal_fen if seq == len(dues) else 0
        items.append(Instalment(seq, due, principal, _interest(principal_fen, rate_bp, previous, due)))
        previous = due
    return items


def equal_instalments(principal_fen: int, rate_bp: int, start: date, term_months: int) -> list[Instalment]:
    """等额本息: equal monthly payments; the last one absorbs the rounding of the principal."""
    monthly = Decimal(rate_bp) / Decimal(10000 * 12)
    if monthly == 0:
        payment = Decimal(principal_fen) / term_months
    else:
        factor = (1 + monthly) ** term_months
        payment = Decimal(principal_fen) * monthly * factor / (factor - 1)
    items, remaining = [], principal_fen
    for seq in range(1, term_months + 1):
        interest = whole_fen(Decimal(remaining) * monthly)
        principal = remaining if seq == term_months else min(remaining, whole_fen(payment) - interest)
        items.append(Instalment(seq, add_months(start, seq), principal, interest))
        remaining -= principal
    return items


def build(kind: str, principal_fen: int, rate_bp: int, start: date, term_months: int) -> list[Instalment]:
    """The schedule of KIND for a loan."""
    if kind == "interest_quarterly":
        return interest_quarterly(principal_fen, rate_bp, start, term_months)
    if kind == "equal_instalments":
        return equal_instalments(principal_fen, rate_bp, start, term_months)
    raise ValueError(f"unknown schedule {kind!r}")


def extended_tail(kind: str, rate_bp: int, disbursed_on: date, term_months: int,
                  extension_months: int, start: date, principal_fen: int,
                  first_seq: int) -> list[Instalment]:
    """The schedule after an extension (展期), from START to the new maturity.

    START is the last due date already passed when the extension was agreed (or the
    disbursement); PRINCIPAL_FEN is the principal scheduled after it. The same kind of
    schedule is laid over the remaining months plus the extension: quarterly interest with
    the principal at the new maturity, or equal instalments re-spread. Due dates stay on the
    loan's own day of the month (counted from the disbursement, not from START).
    """
    offset = months_between(disbursed_on, start)
    months = term_months + extension_months - offset
    items = build(kind, principal_fen, rate_bp, start, months)
    return [Instalment(first_seq + i.seq - 1,
                       add_months(disbursed_on, offset + months_between(start, i.due_on)),
                       i.principal_fen, i.interest_fen) for i in items]


def accrued_unpaid_interest(repayments: list[tuple[date, int, int]], principal_fen: int,
                            rate_bp: int, disbursed_on: date, as_of: date) -> int:
    """What the borrower owes in interest on AS_OF: accrued on the principal outstanding, less paid.

    REPAYMENTS are (paid_on, principal_fen, interest_fen). Exact whatever the schedule said:
    interest accrues day by day on the principal actually outstanding, so a prepayment
    lowers it from its date on.
    """
    outstanding, since, accrued, paid = principal_fen, disbursed_on, Decimal(0), 0
    for paid_on, principal, interest in sorted(repayments):
        if paid_on > as_of:
            break
        accrued += _accrual(outstanding, rate_bp, since, paid_on)
        outstanding, since, paid = outstanding - principal, paid_on, paid + interest
    accrued += _accrual(outstanding, rate_bp, since, as_of)
    return max(0, whole_fen(accrued) - paid)


def allocate(unpaid: Sequence[tuple[int, int]], principal_fen: int,
             interest_fen: int) -> list[tuple[int, int]]:
    """A payment spread over due dates earliest first: (principal, interest) each one takes.

    UNPAID is (principal, interest) still owed on each due date, in schedule order; what
    is left after the last one is not taken (the caller refuses an overpayment).
    """
    taken = []
    for owed_principal, owed_interest in unpaid:
        p, i = min(principal_fen, owed_principal), min(interest_fen, owed_interest)
        principal_fen, interest_fen = principal_fen - p, interest_fen - i
        taken.append((p, i))
    return taken


# Loans coming due: an unpaid instalment due within the next COMING_DUE_DAYS (today included),
# or one fallen due within the last FALLEN_DUE_DAYS and still unpaid.
COMING_DUE_DAYS = 30
FALLEN_DUE_DAYS = 30


def coming_due_window(today: date, days: int = COMING_DUE_DAYS) -> tuple[date, date]:
    """The first and last due dates (inclusive) of instalments coming due: today to today + DAYS."""
    return today, today + timedelta(days=days)


def fallen_due_window(today: date, days: int = FALLEN_DUE_DAYS) -> tuple[date, date]:
    """The first and last due dates (inclusive) of instalments just fallen due: the DAYS before today."""
    return today - timedelta(days=days), today - timedelta(days=1)


def instalment_unpaid(principal_fen: int, interest_fen: int, paid_principal_fen: int,
                      paid_interest_fen: int) -> bool:
    """An instalment is unpaid while either its principal or its interest is not paid in full."""
    return paid_principal_fen < principal_fen or paid_interest_fen < interest_fen
