"""household members: a keyed hash of each member's name

Revision ID: 0019m
Revises: 0018l
Create Date: 2026-12-08 01:10:00

A re-imported survey compares each listed member's name with the one on file. It decrypted
every member's name to do so (200,000 decryptions for 100,000 households); it now compares
keyed hashes (HMAC, as the head's name has), written with the name. The existing members get
theirs here, computed with the service's PII key (as 0015 did for the heads' name prefixes).
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = '0019m'
down_revision = '0018l'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ALTER, no batch copy: SQLite adds a nullable column in place.
    op.add_column('household_members', sa.Column('name_hash', sa.String(64), nullable=True))
    _hash_existing_names()


def _hash_existing_names():
    """Give every member with a name its hash (decrypted and hashed here, never logged)."""
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name_enc FROM household_members "
                                "WHERE name_enc IS NOT NULL")).all()
    if not rows:
        return
    cipher = current_app.extensions.get("creditsvc.core.pii")
    if cipher is None:
        raise RuntimeError("the PII key is needed to hash the existing members' names")
    conn.execute(sa.text("UPDATE household_members SET name_hash = :hash WHERE id = :id"),
                 [{"id": r.id, "hash": cipher.blind_index("name", cipher.decrypt(r.name_enc))}
                  for r in rows])


def downgrade():
    op.drop_column('household_members', 'name_hash')  # SQLite 3.35 and later drop in place
