"""business dates of acceptance, claims paid on the loan as it stands, corrected status reports

Revision ID: 0008r
Revises: 0007
Create Date: 2026-12-01 22:30:00

- applications.accepted_on: the business date the bank accepted (a disbursement may not be
  dated before it). Filled for existing rows from bank_decided_at, as a date in the county
  (UTC+8, Asia/Shanghai has kept no daylight saving since 1991).
- claims.filed_amount_fen and claims.approval_computation: the amount filed stays as filed;
  amount_fen becomes the amount paid, recomputed on the loan as it stands at approval.
- status_reports.superseded_*: a wrong report is superseded by a documented, audited
  correction, never deleted.
"""
import sqlalchemy as sa
from alembic import op


revision = '0008r'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("accepted_on", sa.Date(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE applications SET accepted_on = "
                   "(bank_decided_at + interval '8 hours')::date "
                   "WHERE bank_decided_at IS NOT NULL AND status IN ('accepted', 'disbursed')")
    else:
        op.execute("UPDATE applications SET accepted_on = date(bank_decided_at, '+8 hours') "
                   "WHERE bank_decided_at IS NOT NULL AND status IN ('accepted', 'disbursed')")
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("filed_amount_fen", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("approval_computation", sa.JSON(), nullable=True))
    op.execute("UPDATE claims SET filed_amount_fen = amount_fen")
    with op.batch_alter_table("claims") as batch:
        batch.alter_column("filed_amount_fen", existing_type=sa.BigInteger(), nullable=False)
    with op.batch_alter_table("status_reports") as batch:
        batch.add_column(sa.Column("superseded_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("superseded_reason", sa.String(length=1000), nullable=True))
        batch.create_foreign_key(op.f("fk_status_reports_superseded_by_users"), "users",
                                 ["superseded_by"], ["id"])


def downgrade():
    with op.batch_alter_table("status_reports") as batch:
        batch.drop_constraint(op.f("fk_status_reports_superseded_by_users"), type_="foreignkey")
        batch.drop_column("superseded_reason")
        batch.drop_column("superseded_by")
        batch.drop_column("superseded_at")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("approval_computation")
        batch.drop_column("filed_amount_fen")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("accepted_on")
