"""jobs: a held job can be cancelled (by its owner, or by the worker once it is stale)

Revision ID: 0013c
Revises: 0012h
Create Date: 2026-12-03 04:00:00

A previewed feed keeps its file in a held job until the bank confirms. A bank that never
confirms used to leave the file for ever: now its owner can give it up, and the worker gives
up held jobs older than JOBS_HELD_HOURS; both drop the file and keep the job as 'cancelled'.
"""
from alembic import op

revision = '0013c'
down_revision = '0012h'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs') as batch:
        batch.drop_constraint(op.f('ck_jobs_status_known'), type_='check')
        batch.create_check_constraint(
            op.f('ck_jobs_status_known'),
            "status IN ('held', 'queued', 'running', 'done', 'failed', 'cancelled')")


def downgrade():
    op.execute("UPDATE jobs SET status = 'failed' WHERE status = 'cancelled'")
    with op.batch_alter_table('jobs') as batch:
        batch.drop_constraint(op.f('ck_jobs_status_known'), type_='check')
        batch.create_check_constraint(
            op.f('ck_jobs_status_known'), "status IN ('held', 'queued', 'running', 'done', 'failed')")
