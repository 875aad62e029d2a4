"""credit lines: the town and village each was granted in, counted by index

Revision ID: 0017p
Revises: 0017f
Create Date: 2026-12-07 22:20:00

A line carries the place of its household when it was granted, as an application and a loan
carry theirs: the 信用评级 and 应贷未贷 lists of an officer's area read and count lines by
(town, village, grade, status, valid_until) without reading the households. Existing lines
take their household's place now. The columns are added NOT NULL with an empty default, which
PostgreSQL then drops (SQLite cannot drop a column default without rebuilding the table, whose
partial unique index a rebuild would have to carry over by hand; the service always writes
both columns).
"""
import sqlalchemy as sa
from alembic import op

revision = '0017p'
down_revision = '0017f'
branch_labels = None
depends_on = None

COLUMNS = (("town", 32), ("village", 64))
INDEX = ("ix_credit_lines_area", ["town", "village", "grade", "status", "valid_until"])


def upgrade():
    for name, size in COLUMNS:
        op.add_column('credit_lines', sa.Column(name, sa.String(size), nullable=False,
                                                server_default=''))
    op.execute("UPDATE credit_lines SET "
               "town = (SELECT town FROM households WHERE households.id = credit_lines.household_id), "
               "village = (SELECT village FROM households WHERE households.id = credit_lines.household_id)")
    if op.get_bind().dialect.name == 'postgresql':
        for name, _size in COLUMNS:
            op.alter_column('credit_lines', name, server_default=None)
    op.create_index(INDEX[0], 'credit_lines', INDEX[1])


def downgrade():
    op.drop_index(INDEX[0], table_name='credit_lines')
    for name, _size in COLUMNS:
        op.drop_column('credit_lines', name)
