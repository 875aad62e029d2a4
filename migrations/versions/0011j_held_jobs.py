"""jobs: a held job (a file uploaded and previewed, waiting for the user to confirm it)

Revision ID: 0011j
Revises: 0010f
Create Date: 2026-12-03 02:00:00

The bank's feed page uploads a file once: the preview keeps it with a job that is 'held'
(no worker claims it) until the bank confirms, so the file need not be sent twice and no
app server keeps it on its own disk.
"""
from alembic import op

revision = '0011j'
down_revision = '0010f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs') as batch:
        batch.drop_constraint(op.f('ck_jobs_status_known'), type_='check')
        batch.create_check_constraint(
            op.f('ck_jobs_status_known'), "status IN ('held', 'queued', 'running', 'done', 'failed')")


def downgrade():
    op.execute("DELETE FROM job_files WHERE job_id IN (SELECT id FROM jobs WHERE status = 'held')")
    op.execute("DELETE FROM jobs WHERE status = 'held'")
    with op.batch_alter_table('jobs') as batch:
        batch.drop_constraint(op.f('ck_jobs_status_known'), type_='check')
        batch.create_check_constraint(
            op.f('ck_jobs_status_known'), "status IN ('queued', 'running', 'done', 'failed')")
