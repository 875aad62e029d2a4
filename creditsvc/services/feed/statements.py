"""The set-based bank feed's staging tables and statements: one join per step, not a row each.

The feed's rows are staged in a temporary table (PostgreSQL: `COPY`; SQLite: one
executemany), the loans they name are read and locked in one join in loan-id order, the
new loan states and status reports are staged the same way, and then applied with one
`UPDATE loans ... FROM` and one `INSERT INTO status_reports ... SELECT`. The statements are
SQLAlchemy Core; only the COPY commands are written by hand, with their columns named.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    cast,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from creditsvc.core.principal import Principal
from creditsvc.services.fund import exposure
from creditsvc.services.loans.numbers import normalise
from creditsvc.services.platform.scope import scoped
from models import Loan, Repayment, ScheduleItem, StatusReport

_temp = MetaData()


def _table(name: str, *columns: Column) -> Table:
    # ON COMMIT DROP (PostgreSQL): a staged feed never outlives its transaction.
    return Table(name, _temp, *columns, prefixes=["TEMPORARY"], postgresql_on_commit="DROP")


FEED_ROWS = _table("feed_rows", Column("pos", Integer), Column("loan_id", String(72)),
                   Column("as_of", Date), Column("reported_dpd", Integer))
LOAN_UPDATES = _table("feed_loan_updates", Column("id", String(36)),
                      Column("days_past_due", Integer), Column("dpd_as_of", Date),
                      Column("classification", String(8)),
                      Column("accrued_interest_unpaid_fen", BigInteger),
                      Column("subsidy_cancelled", Boolean),
                      Column("subsidy_cancelled_reason", String(16)),
                      Column("subsidy_cancelled_on", Date))
REPORTS = _table("feed_reports", Column("id", String(36)), Column("loan_id", String(36)),
                 Column("as_of", Date), Column("days_past_due", Integer),
                 Column("classification", String(8)), Column("recorded_at", DateTime))
TABLES = (FEED_ROWS, LOAN_UPDATES, REPORTS)

# What the judging of a loan's reports needs, in this order (see feed_apply.LoanState).
LOAN_COLUMNS = (Loan.id, Loan.status, Loan.disbursed_on, Loan.dpd_as_of, Loan.term_months,
                Loan.extension_months, Loan.maturity_on, Loan.classification,
                Loan.subsidy_cancelled, Loan.subsidy_cancelled_reason, Loan.subsidy_cancelled_on,
                Loan.outstanding_principal_fen, Loan.principal_fen, Loan.rate_bp)
NULL = "\\N"


class Stage:
    """The staging tables of one feed in the session's open transaction."""

    def __init__(self, session: Session):
        self.session = session
        self.pg = session.get_bind().dialect.name == "postgresql"
        conn = session.connection()
        self._schema = "pg_temp" if self.pg else "temp"
        for table in TABLES:
            # Another feed earlier in this transaction (or, on SQLite, on this connection)
            # may have left its tables: start from empty ones.
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {self._schema}.{table.name}")
            table.create(conn)
        self._updates: list = []
        self._reports: list = []

    def _copy(self, table: Table, columns: tuple[str, ...], rows=None, lines=None) -> None:
        raw = self.session.connection().connection.driver_connection
        with raw.cursor() as cur, cur.copy(
                f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            if rows is not None:
                for row in rows:
                    copy.write_row(row)
            else:
                copy.write("".join(lines))
        self.session.connection().exec_driver_sql(f"ANALYZE {table.name}")

    def load_rows(self, rows: list[tuple[str, date, int]]) -> None:
        """Stage the feed's readable rows, numbered by their position in ROWS.

        A loan number is staged as the pages write it (psbc-2026-123: PSBC-2026-000123).
        """
        rows = [(normalise(lid) or lid, *rest) if len(lid) < 36 else (lid, *rest)
                for lid, *rest in rows]
        if self.pg:
            self._copy(FEED_ROWS, ("pos", "loan_id", "as_of", "reported_dpd"),
                       rows=((i, *row) for i, row in enumerate(rows)))
        elif rows:
            self.session.execute(insert(FEED_ROWS), [
                {"pos": i, "loan_id": lid, "as_of": as_of, "reported_dpd": dpd}
                for i, (lid, as_of, dpd) in enumerate(rows)])

    def resolve_numbers(self) -> None:
        """Rows that name their loan by number (PSBC-2026-000123) name it by id from here on.

        One UPDATE of the staged rows; an id is 36 characters and a number fewer, so rows
        that give ids are not probed. A number of no loan stays as it is: not found.
        """
        rows, loans = FEED_ROWS.c, Loan.__table__.c
        found = select(loans.id).where(loans.number == rows.loan_id).scalar_subquery()
        self.session.execute(update(FEED_ROWS).where(func.length(rows.loan_id) < 36,
                                                     found.is_not(None)).values(loan_id=found))

    def locked_rows(self, actor: Principal, *, lock: bool = True) -> Iterator[tuple]:
        """Each staged row of a loan the actor may see, with the loan, locked, in loan-id order.

        Loan-id order: two feeds touching the same loans lock them in the same order, so they
        queue instead of deadlocking. A row of an unknown or another bank's loan is absent.
        """
        query = (select(*LOAN_COLUMNS, FEED_ROWS.c.pos, FEED_ROWS.c.as_of, FEED_ROWS.c.reported_dpd)
                 .join_from(FEED_ROWS, Loan, Loan.id == FEED_ROWS.c.loan_id)
                 .order_by(Loan.id, FEED_ROWS.c.pos))
        if lock:
            exposure.lock_books(self.session)  # the fund row before the loans
            query = query.with_for_update(of=Loan)
        result = self.session.execute(scoped(query, actor, Loan.bank_code)
                                      .execution_options(yield_per=20_000))
        # partitions(): FETCH 20,000 rows a round trip (plain iteration fetched one by one).
        for part in result.partitions(20_000):
            yield from part

    def repayments(self) -> dict[str, list[tuple[date, int, int]]]:
        """(paid_on, principal, interest) of every repayment of the staged rows' loans."""
        out: dict[str, list] = defaultdict(list)
        named = select(FEED_ROWS.c.loan_id).distinct()
        for loan_id, *paid in self.session.execute(
                select(Repayment.loan_id, Repayment.paid_on, Repayment.principal_fen,
                       Repayment.interest_fen).where(Repayment.loan_id.in_(named))):
            out[loan_id].append(tuple(paid))
        return out

    def first_due_dates(self) -> dict[str, date]:
        """The first instalment's due date of each staged row's loan (bounds its days past due)."""
        named = select(FEED_ROWS.c.loan_id).distinct()
        return dict(self.session.execute(
            select(ScheduleItem.loan_id, func.min(ScheduleItem.due_on))
            .where(ScheduleItem.loan_id.in_(named)).group_by(ScheduleItem.loan_id)).all())

    def add_update(self, loan_id: str, dpd: int, as_of: date, classification: str,
                   accrued_fen: int, cancelled: bool, reason: str | None,
                   cancelled_on: date | None) -> None:
        """Stage a loan's state after its last applied report."""
        if self.pg:  # COPY text: every value here comes from the database or the rules
            self._updates.append(f"{loan_id}\t{dpd}\t{as_of.isoformat()}\t{classification}\t"
                                 f"{accrued_fen}\t{'t' if cancelled else 'f'}\t{reason or NULL}\t"
                                 f"{cancelled_on.isoformat() if cancelled_on else NULL}\n")
        else:
            self._updates.append({"id": loan_id, "days_past_due": dpd, "dpd_as_of": as_of,
                                  "classification": classification,
                                  "accrued_interest_unpaid_fen": accrued_fen,
                                  "subsidy_cancelled": cancelled,
                                  "subsidy_cancelled_reason": reason,
                                  "subsidy_cancelled_on": cancelled_on})

    def add_report(self, loan_id: str, as_of: date, dpd: int, classification: str,
                   recorded_at: datetime) -> None:
        """Stage one applied row's status report (RECORDED_AT naive UTC)."""
        if self.pg:
            self._reports.append(f"{loan_id}\t{as_of.isoformat()}\t{dpd}\t{classification}\t"
                                 f"{recorded_at.isoformat(' ')}\n")
        else:
            self._reports.append({"id": str(uuid.uuid4()), "loan_id": loan_id, "as_of": as_of,
                                  "days_past_due": dpd, "classification": classification,
                                  "recorded_at": recorded_at})

    def apply(self, user_id: str | None, now: datetime) -> tuple[int, int]:
        """Write the staged loan states and reports: (loans updated, reports inserted)."""
        if self.pg:
            if self._updates:
                self._copy(LOAN_UPDATES, ("id", "days_past_due", "dpd_as_of", "classification",
                                          "accrued_interest_unpaid_fen", "subsidy_cancelled",
                                          "subsidy_cancelled_reason", "subsidy_cancelled_on"),
                           lines=self._updates)
            if self._reports:
                self._copy(REPORTS, ("loan_id", "as_of", "days_past_due", "classification",
                                     "recorded_at"), lines=self._reports)
        else:
            for table, rows in ((LOAN_UPDATES, self._updates), (REPORTS, self._reports)):
                if rows:
                    self.session.execute(insert(table), rows)
        counts = (len(self._updates), len(self._reports))
        self._updates, self._reports = [], []
        u, loans = LOAN_UPDATES.c, Loan.__table__
        self.session.execute(
            update(loans).where(loans.c.id == u.id).values(
                days_past_due=u.days_past_due, dpd_as_of=u.dpd_as_of,
                classification=u.classification,
                accrued_interest_unpaid_fen=u.accrued_interest_unpaid_fen,
                subsidy_cancelled=u.subsidy_cancelled,
                subsidy_cancelled_reason=u.subsidy_cancelled_reason,
                subsidy_cancelled_on=u.subsidy_cancelled_on, updated_at=now)
            .execution_options(synchronize_session=False))
        r = REPORTS.c
        report_id = cast(func.gen_random_uuid(), String) if self.pg else r.id
        self.session.execute(insert(StatusReport.__table__).from_select(
            ["id", "loan_id", "as_of", "days_past_due", "classification", "recorded_by",
             "recorded_at"],
            select(report_id, r.loan_id, r.as_of, r.days_past_due, r.classification,
                   literal(user_id, String(36)), r.recorded_at)))
        return counts

    def close(self) -> None:
        """Drop the staging tables now (PostgreSQL would drop them at commit anyway)."""
        for table in TABLES:
            self.session.connection().exec_driver_sql(
                f"DROP TABLE IF EXISTS {self._schema}.{table.name}")


def offset(now: datetime, position: int) -> datetime:
    """NOW plus POSITION microseconds, naive UTC: a loan's reports read back in feed order."""
    return now.replace(tzinfo=None) + timedelta(microseconds=position)
