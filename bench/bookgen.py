"""A large book for the benchmarks, made in PostgreSQL: one real loan cloned N times.

One household, application and loan are made through the test factories (so every column
is as the service writes it); `clone` copies a row N times with INSERT ... SELECT over
generate_series, giving each copy deterministic ids (md5 of a tag and the copy's number,
as a UUID) and creation times one millisecond apart.
"""

from sqlalchemy import text

from tests.books import fund_with
from tests.factories import LoanFactory


def uid(tag: str, g: str = "g") -> str:
    """SQL for copy G's deterministic UUID under TAG."""
    return f"md5('{tag}' || ({g})::text)::uuid::text"


def clone(session, table: str, source_id: str, n: int, overrides: dict[str, str]) -> None:
    """Insert N copies of TABLE's row SOURCE_ID, with column expressions OVERRIDES (over g)."""
    cols = session.execute(text("SELECT column_name FROM information_schema.columns WHERE "
                                "table_name = :t ORDER BY ordinal_position"), {"t": table}).scalars().all()
    values = ", ".join(overrides.get(c, c) for c in cols)
    session.execute(text(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {values} FROM {table}, "
                         f"generate_series(1, {n}) AS g WHERE id = :src"), {"src": source_id})


def make_book(session, loans: int, households: int, bank: str = "PSBC") -> None:
    """LOANS active loans of BANK over HOUSEHOLDS households, the fund's totals matching."""
    fund_with(session, 10_000_000_000_000)
    seed = LoanFactory(bank_code=bank, principal_fen=100_000)
    when = "now() - interval '1 day' + g * interval '1 millisecond'"
    clone(session, "households", seed.household_id, households, {
        "id": uid("h"), "id_number_hash": "md5('i' || g::text) || md5('j' || g::text)",
        "created_at": when})
    # Numbers people read are unique: the copies get their own series (SQ-B-…, PSBC-B-…).
    clone(session, "applications", seed.application_id, loans, {
        "id": uid("a"), "household_id": uid("h", f"g % {households} + 1"), "created_at": when,
        "number": "'SQ-B-' || lpad(g::text, 7, '0')"})
    clone(session, "loans", seed.id, loans, {
        "id": uid("l"), "application_id": uid("a"), "household_id": uid("h", f"g % {households} + 1"),
        "created_at": when, "number": f"'{bank}-B-' || lpad(g::text, 7, '0')"})
    session.execute(text("DELETE FROM loans WHERE id = :id"), {"id": seed.id})
    # A quarter of the loans have paid a quarter's interest: the feed's accrual reads them.
    session.execute(text(
        f"INSERT INTO repayments (id, loan_id, paid_on, principal_fen, interest_fen, "
        f"contract_interest_fen, recorded_at) "
        f"SELECT {uid('r')}, l.id, l.disbursed_on + 90, 0, 750, 750, now() FROM loans l, "
        f"generate_series(1, {loans}) AS g WHERE l.id = {uid('l')} AND g % 4 = 0"))
    total = session.execute(text("SELECT sum(outstanding_principal_fen) FROM loans "
                                 "WHERE status = 'active'")).scalar_one()
    session.execute(text("UPDATE fund SET guaranteed_outstanding_fen = :t"), {"t": total})
    session.execute(text("UPDATE bank_exposure SET outstanding_fen = :t WHERE bank_code = :b"),
                    {"t": total, "b": bank})
    session.commit()


def vacuum(engine) -> None:
    """VACUUM ANALYZE the tables a benchmark reads (autocommit)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("households", "applications", "loans", "status_reports", "repayments"):
            conn.exec_driver_sql(f"VACUUM ANALYZE {table}")
