"""The hash-chained audit trail: clean chains verify, tampering is caught and located."""

import pytest
from sqlalchemy import text

from creditsvc.services import audit
from tests.conftest import ACTOR


def fill(session, n=5):
    for i in range(n):
        audit.record(session, ACTOR, "test.event", target_type="thing", target_id=str(i),
                     before={"balance_fen": i * 100}, after={"balance_fen": i * 100 + 1})
    session.commit()


def unlock(session):
    """Play an attacker with DDL rights: drop the append-only triggers first."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
    else:
        session.execute(text("DROP TRIGGER audit_events_no_update"))
        session.execute(text("DROP TRIGGER audit_events_no_delete"))
    session.commit()


def test_clean_chain_verifies(session, runner):
    fill(session)
    assert audit.verify_chain(session) == audit.ChainReport(True, 5)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "5 events" in result.output


def test_the_table_refuses_updates_and_deletes(session):
    fill(session, 2)
    for sql in ("UPDATE audit_events SET outcome = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"):
            session.execute(text(sql))
        session.rollback()


def test_an_edited_row_is_caught(session, runner):
    fill(session)
    unlock(session)
    session.execute(text("UPDATE audit_events SET after = :a WHERE seq = 3"), {"a": '{"balance_fen": 999}'})
    session.commit()
    report = audit.verify_chain(session)
    assert (report.ok, report.broken_at, report.checked) == (False, 3, 2)
    assert "content" in report.reason
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "event 3" in result.output


def test_a_deleted_row_is_caught(session):
    fill(session)
    unlock(session)
    session.execute(text("DELETE FROM audit_events WHERE seq = 2"))
    session.commit()
    report = audit.verify_chain(session)
    assert (report.ok, report.broken_at) == (False, 2) and "missing" in report.reason


def test_a_relinked_forgery_is_caught(session):
    """Deleting a row and renumbering the rest still breaks the hash links."""
    fill(session)
    unlock(session)
    session.execute(text("DELETE FROM audit_events WHERE seq = 2"))
    for seq in (3, 4, 5):
        session.execute(text("UPDATE audit_events SET seq = :n WHERE seq = :o"), {"n": seq - 1, "o": seq})
    session.commit()
    report = audit.verify_chain(session)
    assert (report.ok, report.broken_at) == (False, 2)


def test_a_truncated_tail_is_caught(session, runner):
    fill(session)
    unlock(session)
    session.execute(text("DELETE FROM audit_events WHERE seq >= 4"))
    session.commit()
    report = audit.verify_chain(session)
    assert (report.ok, report.broken_at) == (False, 4) and "tail" in report.reason
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1


def test_verify_walks_in_batches(session):
    fill(session, 7)
    assert audit.verify_chain(session, batch=3).ok


def test_deferred_events_follow_their_savepoints(session):
    """Held events are appended at the end, except those of a rolled-back savepoint."""
    real = session()
    audit.defer_appends(real)
    audit.record(real, ACTOR, "kept.first")
    nested = real.begin_nested()
    audit.record(real, ACTOR, "dropped")
    nested.rollback()
    audit.record(real, ACTOR, "kept.second")
    assert audit.count_events(real) == 0, "nothing is appended before append_deferred"
    audit.append_deferred(real)
    real.commit()
    actions = real.execute(text("SELECT action FROM audit_events ORDER BY seq")).scalars().all()
    assert actions == ["kept.first", "kept.second"]
    assert audit.verify_chain(real).ok
