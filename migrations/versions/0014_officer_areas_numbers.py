"""officers work by area; loans and applications get numbers people can read

Revision ID: 0014
Revises: 0013c
Create Date: 2026-12-04 02:00:00

An officer's villages used to be those of the files they typed in themselves, so an officer
saw none of the loans of files entered by someone else or imported. Now an admin assigns
each officer towns (every village of the town) or single villages: officer_areas. Users get
a display name (the person's real name).

Loans get a contract-style number at disbursement (PSBC-2026-000123: bank, year disbursed,
the bank's sequence in that year), applications one when submitted (SQ-2026-000045). The
sequences live in number_counters, taken with an UPDATE in the writer's transaction.
Existing rows are numbered here in the order they were made, and the counters set to match.
"""
from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013c'
branch_labels = None
depends_on = None

APPLICATION_SERIES = "SQ"
# Applications are stamped in UTC; the year is the county's (UTC+8, no daylight saving).
COUNTY_OFFSET = timedelta(hours=8)


def upgrade():
    op.create_table(
        'officer_areas',
        sa.Column('user_id', sa.String(length=36), nullable=False),
        sa.Column('town', sa.String(length=32), nullable=False),
        sa.Column('village', sa.String(length=64), nullable=True),
        sa.Column('assigned_at', sa.DateTime(), nullable=False),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_officer_areas_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_officer_areas')),
        sa.UniqueConstraint('user_id', 'town', 'village', name='uq_officer_areas_place'),
    )
    op.create_index(op.f('ix_officer_areas_user_id'), 'officer_areas', ['user_id'])
    op.create_table(
        'number_counters',
        sa.Column('series', sa.String(length=8), nullable=False),
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.CheckConstraint('last >= 0', name=op.f('ck_number_counters_last_nonneg')),
        sa.PrimaryKeyConstraint('series', 'year', name=op.f('pk_number_counters')),
    )
    # Plain ADD COLUMN and a unique index: on SQLite neither rebuilds the table, which a
    # batch would (and the rebuild's DROP TABLE fails on the rows other tables refer to).
    op.add_column('users', sa.Column('display_name', sa.String(length=64), nullable=True))
    for table in ('loans', 'applications'):
        op.add_column(table, sa.Column('number', sa.String(length=24), nullable=True))
    _backfill()
    for table in ('loans', 'applications'):
        op.create_index(op.f(f'ix_{table}_number'), table, ['number'], unique=True)


def _backfill():
    """Number the existing loans and applications in the order they were made."""
    conn = op.get_bind()
    last: dict[tuple[str, int], int] = defaultdict(int)
    loans = sa.table('loans', sa.column('id'), sa.column('bank_code'), sa.column('disbursed_on', sa.Date),
                     sa.column('created_at', sa.DateTime), sa.column('number'))
    apps = sa.table('applications', sa.column('id'), sa.column('created_at', sa.DateTime),
                    sa.column('number'))
    numbered = []
    for row in conn.execute(sa.select(loans.c.id, loans.c.bank_code, loans.c.disbursed_on)
                            .order_by(loans.c.disbursed_on, loans.c.created_at, loans.c.id)):
        key = (row.bank_code, row.disbursed_on.year)
        last[key] += 1
        numbered.append({"k": row.id, "n": f"{row.bank_code}-{key[1]}-{last[key]:06d}"})
    if numbered:
        conn.execute(sa.update(loans).where(loans.c.id == sa.bindparam("k"))
                     .values(number=sa.bindparam("n")), numbered)
    numbered = []
    for row in conn.execute(sa.select(apps.c.id, apps.c.created_at)
                            .order_by(apps.c.created_at, apps.c.id)):
        key = (APPLICATION_SERIES, (row.created_at + COUNTY_OFFSET).year)
        last[key] += 1
        numbered.append({"k": row.id, "n": f"{APPLICATION_SERIES}-{key[1]}-{last[key]:06d}"})
    if numbered:
        conn.execute(sa.update(apps).where(apps.c.id == sa.bindparam("k"))
                     .values(number=sa.bindparam("n")), numbered)
    counters = sa.table('number_counters', sa.column('series'), sa.column('year'),
                        sa.column('last'))
    if last:
        conn.execute(sa.insert(counters), [{"series": s, "year": y, "last": n}
                                           for (s, y), n in last.items()])


def downgrade():
    for table in ('applications', 'loans'):
        op.drop_index(op.f(f'ix_{table}_number'), table_name=table)
        op.drop_column(table, 'number')
    op.drop_column('users', 'display_name')
    op.drop_table('number_counters')
    op.drop_index(op.f('ix_officer_areas_user_id'), table_name='officer_areas')
    op.drop_table('officer_areas')
