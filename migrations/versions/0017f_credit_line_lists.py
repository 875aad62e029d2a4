"""credit lines: the 信用评级 and 应贷未贷 lists page in (created_at, id) order by index

Revision ID: 0017f
Revises: 0017c
Create Date: 2026-12-07 19:00:00

The lists of granted lines read a page at a time in the lines' (created_at, id) order, as
every list does (services/platform/paging.py); without the index each page read every line of
the area and sorted them.
"""
from alembic import op

revision = '0017f'
down_revision = '0017c'
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_credit_lines_created_id", "credit_lines", ["created_at", "id"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
