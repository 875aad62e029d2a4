"""audit: the chain's head moves with each appended event, in the database

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 17:00:00

An append locked the head row, inserted its events and then updated the head: three
statements. A trigger on audit_events now moves the head as each event is inserted, and
refuses an event that does not extend the chain (its seq must follow the head's and its
prev_hash must be the head's hash): the database keeps the chain linear by itself, even
against a writer that skips the service.
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

MOVE = ("UPDATE audit_head SET last_seq = NEW.seq, last_hash = NEW.hash "
        "WHERE id = 1 AND last_seq = NEW.seq - 1 AND last_hash = NEW.prev_hash")
REFUSAL = "audit event does not extend the chain"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_events_move_head() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{MOVE};\n"
            f"IF NOT FOUND THEN RAISE EXCEPTION '{REFUSAL}'; END IF;\n"
            "RETURN NULL;\nEND $$")
        op.execute("CREATE TRIGGER audit_events_move_head AFTER INSERT ON audit_events "
                   "FOR EACH ROW EXECUTE FUNCTION audit_events_move_head()")
    else:
        op.execute("CREATE TRIGGER audit_events_extend_chain BEFORE INSERT ON audit_events BEGIN\n"
                   f"SELECT RAISE(ABORT, '{REFUSAL}') WHERE NOT EXISTS (SELECT 1 FROM audit_head "
                   "WHERE id = 1 AND last_seq = NEW.seq - 1 AND last_hash = NEW.prev_hash);\nEND")
        op.execute(f"CREATE TRIGGER audit_events_move_head AFTER INSERT ON audit_events BEGIN\n"
                   f"{MOVE};\nEND")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_move_head ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_move_head()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_extend_chain")
        op.execute("DROP TRIGGER IF EXISTS audit_events_move_head")
