"""pages: passwords and sign-in locks on users; a keyed hash of the head's name to search by

Revision ID: 0009p
Revises: 0008j
Create Date: 2026-12-03 01:00:00

Officers sign in to the web pages with a username and an Argon2id password; five failures
lock the account for a while, and the lock is a column so that every worker sees it. Names
are encrypted, so a search by full name needs a keyed hash (HMAC) like the ID number's; the
existing files get theirs here, computed with the service's PII key.
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = '0009p'
down_revision = '0008j'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('password_hash', sa.String(128), nullable=True))
        batch.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('password_changed_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('households') as batch:
        batch.add_column(sa.Column('head_name_hash', sa.String(64), nullable=True))
        batch.create_index('ix_households_head_name_hash', ['head_name_hash'])
    _index_existing_names()


def _index_existing_names():
    """Give every existing file its name hash (decrypted and hashed here, never logged)."""
    cipher = current_app.extensions.get("creditsvc.core.pii")
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, head_name_enc FROM households")).all()
    if not rows:
        return
    if cipher is None:
        raise RuntimeError("the PII key is needed to index the existing households' names")
    update = sa.text("UPDATE households SET head_name_hash = :h WHERE id = :id")
    conn.execute(update, [{"id": r.id, "h": cipher.blind_index("name", cipher.decrypt(r.head_name_enc))}
                          for r in rows])


def downgrade():
    with op.batch_alter_table('households') as batch:
        batch.drop_index('ix_households_head_name_hash')
        batch.drop_column('head_name_hash')
    with op.batch_alter_table('users') as batch:
        for name in ('password_changed_at', 'locked_until', 'failed_logins',
                     'must_change_password', 'password_hash'):
            batch.drop_column(name)
