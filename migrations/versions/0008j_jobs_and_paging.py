"""jobs: background jobs and their files; indexes the lists' keyset paging uses

Revision ID: 0008j
Revises: 0007
Create Date: 2026-12-02 10:00:00

Long work (the bank feed at province scale, batch scoring, stress tests, snapshots) runs as a
job claimed by `flask jobs worker`; the uploaded feed and the per-row results are job files.
The household, application and loan lists are ordered by (created_at, id); these indexes
let a page be a short index range (keyset paging) instead of a sort of the whole table.
"""
import sqlalchemy as sa
from alembic import op


revision = '0008j'
down_revision = '0008r'
branch_labels = None
depends_on = None

PAGING = (
    ("ix_households_created_id", "households", ["created_at", "id"]),
    ("ix_applications_created_id", "applications", ["created_at", "id"]),
    ("ix_applications_bank_created_id", "applications", ["bank_code", "created_at", "id"]),
    ("ix_loans_created_id", "loans", ["created_at", "id"]),
    ("ix_loans_bank_created_id", "loans", ["bank_code", "created_at", "id"]),
)


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('owner_id', sa.String(length=36), nullable=True),
        sa.Column('bank_code', sa.String(length=16), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('done', sa.BigInteger(), nullable=False),
        sa.Column('total', sa.BigInteger(), nullable=True),
        sa.Column('message', sa.String(length=500), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('max_attempts', sa.Integer(), nullable=False),
        sa.Column('claimed_by', sa.String(length=64), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
        sa.Column('request_id', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')",
                           name=op.f('ck_jobs_status_known')),
        sa.CheckConstraint('done >= 0', name=op.f('ck_jobs_done_nonneg')),
        sa.ForeignKeyConstraint(['bank_code'], ['banks.code'], name=op.f('fk_jobs_bank_code_banks')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_jobs_owner_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    )
    op.create_index('ix_jobs_status_created', 'jobs', ['status', 'created_at'])
    op.create_index(op.f('ix_jobs_owner_id'), 'jobs', ['owner_id'])
    op.create_index(op.f('ix_jobs_bank_code'), 'jobs', ['bank_code'])
    op.create_table(
        'job_files',
        sa.Column('job_id', sa.String(length=36), nullable=False),
        sa.Column('role', sa.String(length=8), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('data_gz', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.CheckConstraint("role IN ('input', 'result')", name=op.f('ck_job_files_role_known')),
        sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_files_job_id_jobs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_files')),
    )
    op.create_index(op.f('ix_job_files_job_id'), 'job_files', ['job_id'])
    for name, table, columns in PAGING:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _ in reversed(PAGING):
        op.drop_index(name, table_name=table)
    op.drop_index(op.f('ix_job_files_job_id'), table_name='job_files')
    op.drop_table('job_files')
    for name in ('ix_jobs_bank_code', 'ix_jobs_owner_id', 'ix_jobs_status_created'):
        op.drop_index(name, table_name='jobs')
    op.drop_table('jobs')
