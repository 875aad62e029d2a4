"""idempotency: a record is written with its finished response, in the work's own transaction

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 21:30:00

The key used to be claimed in a transaction of its own (state in_progress, a lease in
locked_until, an attempt counter for take-overs) and finished in a second one. Now the key is
held by the work's own transaction (a transaction-scoped advisory lock on PostgreSQL; SQLite
serialises writers) and the record is inserted with the response, so a record is always
done and the lease columns have nothing left to say. Unfinished records are dropped: their
requests never committed anything.
"""
import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM idempotency_records WHERE state <> 'done' OR response_status IS NULL")
    with op.batch_alter_table("idempotency_records") as batch:
        batch.drop_column("state")
        batch.drop_column("attempt")
        batch.drop_column("locked_until")
        batch.alter_column("response_status", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("response_body", existing_type=sa.LargeBinary(), nullable=False)
        batch.alter_column("response_headers", existing_type=sa.String(2000), nullable=False)


def downgrade():
    with op.batch_alter_table("idempotency_records") as batch:
        batch.alter_column("response_status", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("response_body", existing_type=sa.LargeBinary(), nullable=True)
        batch.alter_column("response_headers", existing_type=sa.String(2000), nullable=True)
        batch.add_column(sa.Column("state", sa.String(16), nullable=False, server_default="done"))
        batch.add_column(sa.Column("attempt", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
