"""officer pages: the household list's filters as ranges in its order; "has a loan" by index

Revision ID: 0012h
Revises: 0011j
Create Date: 2026-12-03 01:30:00

The officers' household list filters by town, village, status and the files an officer
created, a page at a time in (created_at, id) order. With an index on the filter's column
alone, SQLite read every matching file and sorted them for each page (100 ms for a page of
one town among 100,000 files); (column, created_at, id) makes the page a short range. The
composite indexes also serve the plain look-ups the single-column ones did, so those go.
"Has a loan" is an EXISTS per listed file: SQLite answered it through the loans' status
index, reading every active loan for each file (1.2 s for one page of 5,000 files).
"""
from alembic import op


revision = '0012h'
down_revision = '0011j'
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_households_town_created_id", "households", ["town", "created_at", "id"]),
    ("ix_households_village_created_id", "households", ["village", "created_at", "id"]),
    ("ix_households_status_created_id", "households", ["status", "created_at", "id"]),
    ("ix_households_created_by_created_id", "households", ["created_by", "created_at", "id"]),
    ("ix_loans_household_status", "loans", ["household_id", "status"]),
)
REPLACED = (("ix_households_town", "town"), ("ix_households_village", "village"),
            ("ix_households_status", "status"))


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    for name, _column in REPLACED:
        op.drop_index(name, table_name="households")


def downgrade():
    for name, column in REPLACED:
        op.create_index(name, "households", [column])
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
