"""fund: exposure totals kept by triggers on loans

Revision ID: 0003b
Revises: 0002p
Create Date: 2026-11-28 13:06:02.094043

The exposure report reads about a hundred rows of exposure_totals instead of scanning
the book. Triggers on loans keep them in the writer's transaction, on both engines, so
every module that writes loans (lifecycle, bulk feeds, imports) keeps them right.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003b'
down_revision = '0002p'
branch_labels = None
depends_on = None

# (dimension, key expression over a loan row R) counted while the loan is active.
ACTIVE_DIMS = (
    ("bank", "R.bank_code"),
    ("town", "R.town"),
    ("village", "R.town || '/' || R.village"),
    ("grade", "coalesce(R.grade, '')"),
    ("purpose", "R.purpose"),
    ("classification", "R.classification"),
    ("dpd_bucket", "CASE WHEN R.days_past_due > 90 THEN 'over_90' "
                   "WHEN R.days_past_due > 30 THEN '31_90' ELSE '0_30' END"),
)
WATCHED = ("status", "bank_code", "town", "village", "grade", "purpose", "classification",
           "days_past_due", "outstanding_principal_fen", "principal_fen")
UPSERT_TAIL = (" ON CONFLICT (dimension, key) DO UPDATE SET "
               "loans = exposure_totals.loans + excluded.loans, "
               "outstanding_fen = exposure_totals.outstanding_fen + excluded.outstanding_fen, "
               "principal_fen = exposure_totals.principal_fen + excluded.principal_fen")


def _add(row: str) -> list[str]:
    """Statements adding loan ROW (NEW) to the totals."""
    dims = " UNION ALL ".join(f"SELECT '{d}' AS d, {k} AS k" for d, k in ACTIVE_DIMS)
    return [
        "INSERT INTO exposure_totals (dimension, key, loans, outstanding_fen, principal_fen) "
        f"SELECT dims.d, dims.k, 1, R.outstanding_principal_fen, R.principal_fen "
        f"FROM ({dims}) AS dims WHERE R.status = 'active'" + UPSERT_TAIL,
        "INSERT INTO exposure_totals (dimension, key, loans, outstanding_fen, principal_fen) "
        "SELECT 'status', R.status, 1, R.outstanding_principal_fen, R.principal_fen WHERE true"
        + UPSERT_TAIL,
    ]


def _remove() -> list[str]:
    """The statement taking loan row R (OLD) out of the totals."""
    match = " OR ".join(f"(dimension = '{d}' AND key = {k})" for d, k in ACTIVE_DIMS)
    return [
        "UPDATE exposure_totals SET loans = loans - 1, "
        "outstanding_fen = outstanding_fen - R.outstanding_principal_fen, "
        "principal_fen = principal_fen - R.principal_fen "
        f"WHERE (dimension = 'status' AND key = R.status) OR (R.status = 'active' AND ({match}))"
    ]


def _dims(table: str, sign: str) -> str:
    """Every (dimension, key, signed amounts) a set of loan rows contributes (PostgreSQL)."""
    amounts = (f"{sign}1 AS n, {sign}R.outstanding_principal_fen AS o, "
               f"{sign}R.principal_fen AS p")
    parts = [f"SELECT '{d}' AS d, {k} AS k, {amounts} FROM {table} R WHERE R.status = 'active'"
             for d, k in ACTIVE_DIMS]
    parts.append(f"SELECT 'status', R.status, {amounts} FROM {table} R")
    return " UNION ALL ".join(parts)


def _net(rows: str) -> str:
    """Apply the net change of ROWS to the totals, skipping keys whose change is nil."""
    return ("INSERT INTO exposure_totals (dimension, key, loans, outstanding_fen, principal_fen) "
            f"SELECT d, k, sum(n), sum(o), sum(p) FROM ({rows}) AS x GROUP BY d, k "
            "HAVING sum(n) <> 0 OR sum(o) <> 0 OR sum(p) <> 0" + UPSERT_TAIL + ";")


def _sql(statements, row):
    return ";\n".join(s.replace("R.", f"{row}.") for s in statements) + ";\n"


def upgrade():
    op.create_table('exposure_totals',
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('loans', sa.BigInteger(), nullable=False),
    sa.Column('outstanding_fen', sa.BigInteger(), nullable=False),
    sa.Column('principal_fen', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('dimension', 'key', name=op.f('pk_exposure_totals'))
    )
    # Loans already in the book (none on a new install).
    for d, k in ACTIVE_DIMS:
        op.execute(f"INSERT INTO exposure_totals SELECT '{d}', {k.replace('R.', '')}, count(*), "
                   "sum(outstanding_principal_fen), sum(principal_fen) FROM loans "
                   f"WHERE status = 'active' GROUP BY {k.replace('R.', '')}")
    op.execute("INSERT INTO exposure_totals SELECT 'status', status, count(*), "
               "sum(outstanding_principal_fen), sum(principal_fen) FROM loans GROUP BY status")
    watched = ", ".join(WATCHED)
    if op.get_bind().dialect.name == "postgresql":
        # Statement-level with transition tables: a bulk feed updating thousands of loans
        # moves each total once, not once per loan (repeated updates of one row in one
        # transaction pile up row versions on PostgreSQL).
        net = " UNION ALL ".join(
            [_dims("new_rows", "") + "", _dims("old_rows", "-")])
        op.execute(
            "CREATE FUNCTION loans_exposure_totals() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"IF TG_OP = 'INSERT' THEN {_net(_dims('new_rows', ''))}\n"
            f"ELSIF TG_OP = 'DELETE' THEN {_net(_dims('old_rows', '-'))}\n"
            f"ELSE {_net(net)}\nEND IF;\n"
            "RETURN NULL;\nEND $$")
        for event, tables in (("INSERT", "NEW TABLE AS new_rows"),
                              ("DELETE", "OLD TABLE AS old_rows"),
                              ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows")):
            op.execute(f"CREATE TRIGGER loans_exposure_totals_{event.lower()} AFTER {event} ON loans "
                       f"REFERENCING {tables} FOR EACH STATEMENT "
                       "EXECUTE FUNCTION loans_exposure_totals()")
    else:
        op.execute(f"CREATE TRIGGER loans_exposure_totals_ins AFTER INSERT ON loans BEGIN\n"
                   f"{_sql(_add('R'), 'NEW')}END")
        op.execute(f"CREATE TRIGGER loans_exposure_totals_del AFTER DELETE ON loans BEGIN\n"
                   f"{_sql(_remove(), 'OLD')}END")
        op.execute(f"CREATE TRIGGER loans_exposure_totals_upd AFTER UPDATE OF {watched} ON loans "
                   f"BEGIN\n{_sql(_remove(), 'OLD')}{_sql(_add('R'), 'NEW')}END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS loans_exposure_totals_{event} ON loans")
        op.execute("DROP FUNCTION IF EXISTS loans_exposure_totals()")
    else:
        for suffix in ("ins", "del", "upd"):
            op.execute(f"DROP TRIGGER IF EXISTS loans_exposure_totals_{suffix}")
    op.drop_table('exposure_totals')
