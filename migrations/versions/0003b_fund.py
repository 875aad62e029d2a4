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


def _sql(statements, row):
    return ";\n".join(s.replace("R.", f"{row}.") for s in statements) + ";\n"


def upgrade():
    op.create_table('exposure_totals',
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('loans', sa.BigInteger(), nullable=False),
    sa.Column('outstanding_fen', sa.BigInteger(), nullable=False),
    sa.Column('principal_fen', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('loans >= 0', name=op.f('ck_exposure_totals_loans_nonneg')),
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
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)
        op.execute(
            "CREATE FUNCTION loans_exposure_totals() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"IF TG_OP = 'UPDATE' AND NOT ({changed}) THEN RETURN NULL; END IF;\n"
            f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_sql(_remove(), 'OLD')} END IF;\n"
            f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {_sql(_add('R'), 'NEW')} END IF;\n"
            "RETURN NULL;\nEND $$")
        op.execute("CREATE TRIGGER loans_exposure_totals AFTER INSERT OR DELETE OR UPDATE OF "
                   f"{watched} ON loans FOR EACH ROW EXECUTE FUNCTION loans_exposure_totals()")
    else:
        op.execute(f"CREATE TRIGGER loans_exposure_totals_ins AFTER INSERT ON loans BEGIN\n"
                   f"{_sql(_add('R'), 'NEW')}END")
        op.execute(f"CREATE TRIGGER loans_exposure_totals_del AFTER DELETE ON loans BEGIN\n"
                   f"{_sql(_remove(), 'OLD')}END")
        op.execute(f"CREATE TRIGGER loans_exposure_totals_upd AFTER UPDATE OF {watched} ON loans "
                   f"BEGIN\n{_sql(_remove(), 'OLD')}{_sql(_add('R'), 'NEW')}END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS loans_exposure_totals ON loans")
        op.execute("DROP FUNCTION IF EXISTS loans_exposure_totals()")
    else:
        for suffix in ("ins", "del", "upd"):
            op.execute(f"DROP TRIGGER IF EXISTS loans_exposure_totals_{suffix}")
    op.drop_table('exposure_totals')
