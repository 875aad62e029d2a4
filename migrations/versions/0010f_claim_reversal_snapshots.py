"""fund office: reversing a paid claim; monthly portfolio snapshots

Revision ID: 0010f
Revises: 0009p
Create Date: 2026-12-03 01:00:00

- claims: a claim paid in error is reversed (status 'reversed', with who, when and why).
  The loan is active again and may be claimed again later, so "one claim per loan" becomes
  a unique index over the claims that are not reversed.
- portfolio_snapshots: one row a month (stocks as of the day taken, the month's flows), for
  the fund office's trends.
"""
import sqlalchemy as sa
from alembic import op


revision = '0010f'
down_revision = '0009p'
branch_labels = None
depends_on = None

LIVE = sa.text("status <> 'reversed'")
MONEY = ("outstanding_fen", "npl_outstanding_fen", "par30_fen", "par90_fen", "claims_paid_fen",
         "claims_reversed_fen", "recoveries_fen", "fund_recoveries_fen", "balance_fen",
         "capital_fen")


def upgrade():
    with op.batch_alter_table('claims') as batch:
        batch.add_column(sa.Column('reversed_by', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('reversed_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('reversal_reason', sa.String(length=1000), nullable=True))
        batch.create_foreign_key(op.f('fk_claims_reversed_by_users'), 'users',
                                 ['reversed_by'], ['id'])
        batch.drop_constraint(op.f('ck_claims_status_known'), type_='check')
        batch.create_check_constraint(
            op.f('ck_claims_status_known'),
            "status IN ('filed', 'paid', 'rejected', 'reversed')")
        batch.drop_constraint(op.f('uq_claims_loan_id'), type_='unique')
        batch.create_index(op.f('ix_claims_loan_id'), ['loan_id'])
    op.create_index('uq_claims_live_loan_id', 'claims', ['loan_id'], unique=True,
                    sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_table(
        'portfolio_snapshots',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('loans', sa.BigInteger(), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in MONEY[:4]),
        sa.Column('claims_paid', sa.BigInteger(), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in MONEY[4:]),
        sa.Column('taken_at', sa.DateTime(), nullable=False),
        sa.Column('taken_by', sa.String(length=36), nullable=True),
        *(sa.CheckConstraint(f"{c} >= 0", name=op.f(f"ck_portfolio_snapshots_{c}_nonneg"))
          for c in (*MONEY, "loans", "claims_paid")),
        sa.ForeignKeyConstraint(['taken_by'], ['users.id'],
                                name=op.f('fk_portfolio_snapshots_taken_by_users')),
        sa.PrimaryKeyConstraint('month', name=op.f('pk_portfolio_snapshots')),
    )


def downgrade():
    op.drop_table('portfolio_snapshots')
    op.drop_index('uq_claims_live_loan_id', table_name='claims')
    if op.get_bind().execute(sa.text("SELECT count(*) FROM claims WHERE status = 'reversed'")
                             ).scalar():
        raise RuntimeError("reversed claims exist: the older schema cannot hold them")
    with op.batch_alter_table('claims') as batch:
        batch.drop_index(op.f('ix_claims_loan_id'))
        batch.create_unique_constraint(op.f('uq_claims_loan_id'), ['loan_id'])
        batch.drop_constraint(op.f('ck_claims_status_known'), type_='check')
        batch.create_check_constraint(op.f('ck_claims_status_known'),
                                      "status IN ('filed', 'paid', 'rejected')")
        batch.drop_constraint(op.f('fk_claims_reversed_by_users'), type_='foreignkey')
        batch.drop_column('reversal_reason')
        batch.drop_column('reversed_at')
        batch.drop_column('reversed_by')
