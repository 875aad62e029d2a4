"""snapshot_groups: the monthly 台账 figures per bank and town, taken with each snapshot

Revision ID: 0018l
Revises: 0018x
Create Date: 2026-12-07 22:20:00

The 台账统计表 shows past months by bank and by town: each month's snapshot now also keeps,
for every (bank, town), (bank, all towns), (all banks, town) and the whole book, the active
loans and their balance, cumulative and the month's lending, overdue and interest-arrears
counts, the balance-weighted rate's numerator, borrowing households, their members and
credit lines. Months snapshotted before this revision have no such rows: the table says so
for them rather than reading a later book into them.
"""
import sqlalchemy as sa
from alembic import op

revision = '0018l'
down_revision = '0018x'
branch_labels = None
depends_on = None

FIGURES = ("loans", "outstanding_fen", "lent_fen", "disbursed_fen", "overdue_loans",
           "overdue_fen", "arrears_loans", "arrears_fen", "rate_weight", "households",
           "members", "lined_households", "line_fen")


def upgrade():
    op.create_table(
        'snapshot_groups',
        sa.Column('month', sa.String(7), sa.ForeignKey(
            'portfolio_snapshots.month', ondelete='CASCADE',
            name=op.f('fk_snapshot_groups_month_portfolio_snapshots')), nullable=False),
        sa.Column('bank_code', sa.String(16), nullable=False),
        sa.Column('town', sa.String(32), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in FIGURES),
        *(sa.CheckConstraint(f"{name} >= 0", name=op.f(f"ck_snapshot_groups_{name}_nonneg"))
          for name in FIGURES),
        sa.PrimaryKeyConstraint('month', 'bank_code', 'town', name=op.f('pk_snapshot_groups')))


def downgrade():
    op.drop_table('snapshot_groups')
