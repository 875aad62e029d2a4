"""schedule items: loans coming due read a window of due dates by index

Revision ID: 0018x
Revises: 0018s
Create Date: 2026-12-07 22:20:00

The desks' loans coming due (and just fallen due) read the unpaid instalments whose due date
falls in a window of days; without an index on the due date each desk read every instalment
of the book.
"""
from alembic import op

revision = '0018x'
down_revision = '0018s'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_schedule_items_due_on_loan", "schedule_items", ["due_on", "loan_id"])


def downgrade():
    op.drop_index("ix_schedule_items_due_on_loan", table_name="schedule_items")
