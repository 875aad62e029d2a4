"""households: keyed hashes of the head's name's first one and two characters

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 16:00:00

Officers search by a name's beginning (邱 finds 邱某某). Names are encrypted, so the search
looks up keyed hashes (HMAC) of the first character and of the first two, written with the
name; the existing files get theirs here, computed with the service's PII key (as 0009p did
for the full name's).
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

COLUMNS = ('head_name_prefix1_hash', 'head_name_prefix2_hash')


def upgrade():
    # Plain ALTERs, no batch copy: SQLite adds a nullable column in place, and recreating
    # households would trip the foreign keys of the members and loans that refer to it.
    for name in COLUMNS:
        op.add_column('households', sa.Column(name, sa.String(64), nullable=True))
        op.create_index(f'ix_households_{name}', 'households', [name])
    _index_existing_names()


def _index_existing_names():
    """Give every existing file its prefix hashes (decrypted and hashed here, never logged)."""
    cipher = current_app.extensions.get("creditsvc.core.pii")
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, head_name_enc FROM households")).all()
    if not rows:
        return
    if cipher is None:
        raise RuntimeError("the PII key is needed to index the existing households' names")
    update = sa.text("UPDATE households SET head_name_prefix1_hash = :one, "
                     "head_name_prefix2_hash = :two WHERE id = :id")
    values = []
    for row in rows:
        name = cipher.decrypt(row.head_name_enc).strip()
        values.append({"id": row.id, "one": cipher.blind_index("name1", name[:1]),
                       "two": cipher.blind_index("name2", name[:2])})
    conn.execute(update, values)


def downgrade():
    for name in reversed(COLUMNS):
        op.drop_index(f'ix_households_{name}', table_name='households')
        op.drop_column('households', name)  # SQLite 3.35 and later drop a column in place
