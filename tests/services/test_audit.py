"""The hash-chained audit trail: clean chains verify, tampering is caught and located."""

import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from creditsvc.services import audit
from models import AuditEvent
from models.base import utcnow
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


def rewrite_whole_chain(session, seq: int, after: dict) -> None:
    """Play an attacker with full rights: change one event, then rehash every link and the head."""
    unlock(session)
    session.execute(text("UPDATE audit_events SET after = :a WHERE seq = :s"),
                    {"a": json.dumps(after), "s": seq})
    prev = audit.GENESIS
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all():
        ev.prev_hash = prev
        ev.hash = prev = audit._digest(audit._hashed_fields(audit._event_values(ev)))
    session.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": prev})
    session.commit()


def test_anchors_catch_a_chain_rewritten_from_end_to_end(session, runner, tmp_path):
    fill(session, 5)
    anchors = tmp_path / "anchors.jsonl"
    taken = runner.invoke(args=["audit", "anchor", "--out", str(anchors)])
    assert taken.exit_code == 0 and '"seq": 5' in taken.output
    fill(session, 2)
    assert runner.invoke(args=["audit", "verify", "--anchors", str(anchors)]).exit_code == 0
    rewrite_whole_chain(session, 3, {"balance_fen": 999_999})
    assert audit.verify_chain(session).ok  # without an anchor the forgery passes
    caught = runner.invoke(args=["audit", "verify", "--anchors", str(anchors)])
    assert caught.exit_code == 1 and "event 5 differs from its anchor" in caught.output


def test_an_anchor_not_taken_by_this_service_is_refused(session, runner, tmp_path):
    fill(session, 2)
    anchor = audit.take_anchor(session, "another service's secret")
    path = tmp_path / "anchors.jsonl"
    path.write_text(anchor.to_json() + "\n")
    result = runner.invoke(args=["audit", "verify", "--anchors", str(path)])
    assert result.exit_code == 1 and "wrong MAC" in result.output
    path.write_text("not json\n")
    garbled = runner.invoke(args=["audit", "verify", "--anchors", str(path)])
    assert garbled.exit_code == 1 and "not an audit anchor" in garbled.output
    assert "Traceback" not in garbled.output


def test_fund_managers_fetch_the_anchor(client, keys, session):
    fill(session, 3)
    got = client.get("/api/v1/audit-events/anchor", headers=keys.headers("fund_manager"))
    assert got.status_code == 200
    body = got.get_json()
    head = session.execute(text("SELECT last_seq, last_hash FROM audit_head")).one()
    assert (body["seq"], body["hash"]) == tuple(head)
    assert audit.check_anchors(session, [audit.read_anchor(json.dumps(body))],
                               client.application.config["SECRET_KEY"]) is None
    assert client.get("/api/v1/audit-events/anchor",
                      headers=keys.headers("officer")).status_code == 403


def test_the_database_refuses_an_event_that_does_not_extend_the_chain(session):
    """A trigger moves the head with each event and refuses a fork or a gap (migration 0005)."""
    fill(session, 2)
    head = session.execute(text("SELECT last_seq, last_hash FROM audit_head")).one()
    last = session.get(AuditEvent, 2)
    assert tuple(head) == (2, last.hash), "the head follows the last event"
    forged = {"seq": 3, "occurred_at": last.occurred_at, "action": "forged", "outcome": "ok",
              "hash": "f" * 64}
    insert = text("INSERT INTO audit_events (seq, occurred_at, action, outcome, prev_hash, hash) "
                  "VALUES (:seq, :occurred_at, :action, :outcome, :prev_hash, :hash)")
    for seq, prev in ((3, "0" * 64), (4, last.hash), (2, last.prev_hash)):  # fork, gap, replay
        with pytest.raises(DBAPIError, match="does not extend the chain|UNIQUE|duplicate"):
            session.execute(insert, {**forged, "seq": seq, "prev_hash": prev})
        session.rollback()
    fill(session, 1)
    assert audit.verify_chain(session) == audit.ChainReport(True, 3)


TRICKY = {"note": '引号"与\\反斜杠\n换行 \u2028 and a "prev_hash":"x" look-alike', "n": 1.5,
          "nested": {"empty": {}, "list": [None, True, 0, "¥50,000"]}}


def _append_tricky(session, n=3):
    for i in range(n):
        audit.record(session, ACTOR, "test.tricky", target_type="thing", target_id=f"t-{i}",
                     before=None, after={"amount_fen": 10 ** 12 + i}, detail=TRICKY)
        session.commit()


def test_one_event_is_appended_in_one_statement_that_hashes_as_python_does(session, monkeypatch):
    """PostgreSQL fills in seq and prev_hash and hashes the same canonical text as `_digest`."""
    first = []
    run = audit.HotStatement.execute
    monkeypatch.setattr(audit.HotStatement, "execute", lambda self, conn, params=None: (
        first.append(str(self.statement).split()[0]), run(self, conn, params))[1])
    _append_tricky(session)
    pg = session.get_bind().dialect.name == "postgresql"
    assert first == (["WITH"] * 3 if pg else ["SELECT", "INSERT"] * 3), first
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars():
        assert ev.hash == audit._digest(audit._hashed_fields(audit._event_values(ev)))
        assert ev.detail == TRICKY
    assert audit.verify_chain(session) == audit.ChainReport(True, 3)


def test_a_marker_found_in_the_event_falls_back_to_hashing_in_python(session, monkeypatch):
    monkeypatch.setattr(audit.secrets, "token_hex", lambda _n: "look-alike")
    fields = {**dict.fromkeys(audit._EVENT_COLUMNS), "occurred_at": utcnow(), "detail": TRICKY}
    assert audit._around_head(fields) is None
    _append_tricky(session, 2)
    assert audit.verify_chain(session) == audit.ChainReport(True, 2)
