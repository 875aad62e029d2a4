"""loans: why the interest subsidy was cancelled (overdue, or funds diverted)

Revision ID: 0004
Revises: 0003b
Create Date: 2026-11-28 16:10:00

DESIGN: the subsidy is cancelled for a loan that goes overdue or whose funds are diverted.
Until now only the first could happen, so every cancelled subsidy so far was for overdue.
A plain ADD COLUMN (no batch copy), so the exposure triggers on loans stay in place.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003b'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('loans', sa.Column('subsidy_cancelled_reason', sa.String(length=16),
                                     nullable=True))
    op.execute("UPDATE loans SET subsidy_cancelled_reason = 'overdue' WHERE subsidy_cancelled")


def downgrade():
    op.drop_column('loans', 'subsidy_cancelled_reason')
