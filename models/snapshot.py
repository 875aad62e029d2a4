"""The portfolio at each month's end: one row a month, for the fund office's trends."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

MONEY_COLUMNS = ("outstanding_fen", "npl_outstanding_fen", "par30_fen", "par90_fen",
                 "claims_paid_fen", "claims_reversed_fen", "recoveries_fen",
                 "fund_recoveries_fen", "balance_fen", "capital_fen")


class PortfolioSnapshot(Base):
    """The book and the fund as they stood when the month's snapshot was last taken (integer fen).

    Stocks (outstanding, NPL, the PAR30/PAR90 numerators, balance, capital, loans) are the
    book as it stood on `as_of`; flows (claims paid and reversed, recoveries) are the whole
    month's, from the ledger and the recoveries by their business dates. Taking the month
    again replaces its row, so the last run of a month (its end) is what the trend shows.
    """

    __tablename__ = "portfolio_snapshots"
    __table_args__ = tuple(CheckConstraint(f"{c} >= 0", name=f"{c}_nonneg")
                           for c in (*MONEY_COLUMNS, "loans", "claims_paid"))

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    as_of: Mapped[date] = mapped_column(Date)
    loans: Mapped[int] = mapped_column(BigInteger)
    outstanding_fen: Mapped[int] = mapped_column(BigInteger)
    npl_outstanding_fen: Mapped[int] = mapped_column(BigInteger)
    # Numerators of PAR30 and PAR90: outstanding of loans over 30 / over 90 days past due.
    par30_fen: Mapped[int] = mapped_column(BigInteger)
    par90_fen: Mapped[int] = mapped_column(BigInteger)
    claims_paid: Mapped[int] = mapped_column(BigInteger)
    claims_paid_fen: Mapped[int] = mapped_column(BigInteger)
    claims_reversed_fen: Mapped[int] = mapped_column(BigInteger)
    recoveries_fen: Mapped[int] = mapped_column(BigInteger)  # what the banks recovered
    fund_recoveries_fen: Mapped[int] = mapped_column(BigInteger)  # the fund's share of it
    balance_fen: Mapped[int] = mapped_column(BigInteger)
    capital_fen: Mapped[int] = mapped_column(BigInteger)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    taken_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))


GROUP_FIGURES = ("loans", "outstanding_fen", "lent_fen", "disbursed_fen", "overdue_loans",
                 "overdue_fen", "arrears_loans", "arrears_fen", "rate_weight", "households",
                 "members", "lined_households", "line_fen")


class SnapshotGroup(Base):
    """The month's 台账 figures of one bank in one town, taken with the month's snapshot.

    An empty bank_code or town means "all": (PSBC, '') is the bank's whole book, ('', 渔湖镇)
    the town's across banks, ('', '') the programme's. Households are counted once in each
    group, so a group's households are not the sum of its parts' when a household borrows
    from both banks. Stocks are as of the snapshot's as_of; disbursed_fen is the month's.
    """

    __tablename__ = "snapshot_groups"
    __table_args__ = tuple(CheckConstraint(f"{c} >= 0", name=f"{c}_nonneg") for c in GROUP_FIGURES)

    month: Mapped[str] = mapped_column(ForeignKey("portfolio_snapshots.month", ondelete="CASCADE"),
                                       primary_key=True)
    bank_code: Mapped[str] = mapped_column(String(16), primary_key=True)  # '' = every bank
    town: Mapped[str] = mapped_column(String(32), primary_key=True)  # '' = every town
    loans: Mapped[int] = mapped_column(BigInteger)  # active loans (贷款笔数)
    outstanding_fen: Mapped[int] = mapped_column(BigInteger)  # 贷款余额 of active loans
    lent_fen: Mapped[int] = mapped_column(BigInteger)  # 累计投放额: every loan disbursed so far
    disbursed_fen: Mapped[int] = mapped_column(BigInteger)  # the month's 新增投放额
    overdue_loans: Mapped[int] = mapped_column(BigInteger)  # active, days past due > 0
    overdue_fen: Mapped[int] = mapped_column(BigInteger)  # their outstanding principal
    arrears_loans: Mapped[int] = mapped_column(BigInteger)  # active, interest due and unpaid
    arrears_fen: Mapped[int] = mapped_column(BigInteger)  # that interest (欠息)
    # Sum of rate_bp x outstanding_fen: the balance-weighted rate is this / outstanding.
    rate_weight: Mapped[int] = mapped_column(BigInteger)
    households: Mapped[int] = mapped_column(BigInteger)  # borrowing households
    members: Mapped[int] = mapped_column(BigInteger)  # their members (支持带动贫困人口数)
    lined_households: Mapped[int] = mapped_column(BigInteger)  # of them, with a credit line
    line_fen: Mapped[int] = mapped_column(BigInteger)  # their lines' sum (户均授信额度)
