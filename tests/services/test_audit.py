"""The hash-chained audit trail: clean chains verify, tampering is caught and located."""

import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from creditsvc.services.platform import audit, audit_chain
from creditsvc.services.platform.uow import UnitOfWork
from models import AuditEvent
from tests.conftest import ACTOR


def fill(session, n=5):
    with UnitOfWork(session) as uow:
        for i in range(n):
            audit.record(session, ACTOR, "test.event", target_type="thing", target_id=str(i),
                         before={"balance_fen": i * 100}, after={"balance_fen": i * 100 + 1})
        uow.commit()


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
    assert audit_chain.verify_chain(session) == audit_chain.ChainReport(True, 5)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "5 events" in result.output


def test_the_table_refuses_updates_and_deletes(session):
    fill(session, 2)
    for sql in ("UPDATE audit_events SET outcome = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(sql))
        session.rollback()


def test_an_edited_row_is_caught(session, runner):
    fill(session)
    unlock(session)
    session.execute(text("UPDATE audit_events SET after = :a WHERE seq = 3"), {"a": '{"balance_fen": 999}'})
    session.commit()
    report = audit_chain.verify_chain(session)
    assert (report.ok, report.broken_at, report.checked) == (False, 3, 2)
    assert "content" in report.reason
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "event 3" in result.output


def test_a_deleted_row_is_caught(session):
    fill(session)
    unlock(session)
    session.execute(text("DELETE FROM audit_events WHERE seq = 2"))
    session.commit()
    report = audit_chain.verify_chain(session)
    assert (report.ok, report.broken_at) == (False, 2) and "missing" in report.reason


def test_a_relinked_forgery_is_caught(session):
    """Deleting a row and renumbering the rest still breaks the hash links."""
    fill(session)
    unlock(session)
    session.execute(text("DELETE FROM audit_events WHERE seq = 2"))
    for seq in (3, 4, 5):
        session.execute(text("UPDATE audit_events SET seq = :n WHERE seq = :o"), {"n": seq - 1, "o": seq})
    session.commit()
    report = audit_chain.verify_chain(session)
    assert (report.ok, report.broken_at) == (False, 2)


def test_a_truncated_tail_is_caught(session, runner):
    fill(session)
    unlock(session)
    session.execute(text("DELETE FROM audit_events WHERE seq >= 4"))
    session.commit()
    report = audit_chain.verify_chain(session)
    assert (report.ok, report.broken_at) == (False, 4) and "tail" in report.reason
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1


def test_verify_walks_in_batches(session):
    fill(session, 7)
    assert audit_chain.verify_chain(session, batch=3).ok


def test_events_go_with_their_unit_of_work(session):
    """Recorded events are appended at commit, in order; a rolled-back unit leaves none."""
    with UnitOfWork(session) as uow:
        audit.record(session, ACTOR, "kept.first")
        audit.record(session, ACTOR, "kept.second")
        assert audit_chain.count_events(session) == 0, "nothing is appended before commit"
        uow.commit()
    with pytest.raises(RuntimeError), UnitOfWork(session):
        audit.record(session, ACTOR, "dropped")
        raise RuntimeError("the work failed")
    assert audit.pending(session) == []
    with UnitOfWork(session):
        audit.record(session, ACTOR, "dropped.uncommitted")  # left without commit: rolled back
    actions = session.execute(text("SELECT action FROM audit_events ORDER BY seq")).scalars().all()
    assert actions == ["kept.first", "kept.second"]
    assert audit_chain.verify_chain(session).ok


def rewrite_whole_chain(session, seq: int, after: dict) -> None:
    """Play an attacker with full rights: change one event, then rehash every link and the head."""
    unlock(session)
    session.execute(text("UPDATE audit_events SET after = :a WHERE seq = :s"),
                    {"a": json.dumps(after), "s": seq})
    prev = audit.GENESIS
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all():
        ev.prev_hash = prev
        ev.hash = prev = audit.digest(ev)
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
    assert audit_chain.verify_chain(session).ok  # without an anchor the forgery passes
    caught = runner.invoke(args=["audit", "verify", "--anchors", str(anchors)])
    assert caught.exit_code == 1 and "event 5 differs from its anchor" in caught.output


def test_an_anchor_not_taken_by_this_service_is_refused(session, runner, tmp_path):
    fill(session, 2)
    anchor = audit_chain.take_anchor(session, "another service's secret")
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
    assert audit_chain.check_anchors(session, [audit_chain.read_anchor(json.dumps(body))],
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
    assert audit_chain.verify_chain(session) == audit_chain.ChainReport(True, 3)


TRICKY = {"note": '引号"与\\反斜杠\n换行 \u2028 and a "prev_hash":"x" look-alike', "n": 1.5,
          "nested": {"empty": {}, "list": [None, True, 0, "¥50,000"]}}


def _append_tricky(session, n=3):
    for i in range(n):
        with UnitOfWork(session) as uow:
            audit.record(session, ACTOR, "test.tricky", target_type="thing", target_id=f"t-{i}",
                         before=None, after={"amount_fen": 10 ** 12 + i}, detail=TRICKY)
            uow.commit()


def test_tricky_content_round_trips_and_hashes_the_same(session):
    """Quotes, backslashes, U+2028, nested JSON: what the database gives back hashes the same."""
    _append_tricky(session)
    session.expire_all()
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars():
        assert ev.hash == audit.digest(ev)
        assert ev.detail == TRICKY
    assert audit_chain.verify_chain(session) == audit_chain.ChainReport(True, 3)


def test_since_an_anchor_only_the_events_after_it_are_walked(session, runner, tmp_path):
    fill(session, 5)
    anchors = tmp_path / "anchors.jsonl"
    assert runner.invoke(args=["audit", "anchor", "--out", str(anchors)]).exit_code == 0
    fill(session, 3)
    daily = runner.invoke(args=["audit", "verify", "--anchors", str(anchors), "--since-anchor"])
    assert daily.exit_code == 0, daily.output
    assert "3 events since the anchor of event 5" in daily.output
    full = runner.invoke(args=["audit", "verify", "--anchors", str(anchors)])
    assert full.exit_code == 0 and "8 events from the first event" in full.output
    [anchor] = [audit_chain.read_anchor(line) for line in anchors.read_text().splitlines()]
    assert audit_chain.verify_chain(session, since=anchor) == audit_chain.ChainReport(True, 3)


def test_since_an_anchor_a_break_after_it_is_caught_and_one_before_it_needs_the_full_walk(
        session, runner, tmp_path):
    fill(session, 5)
    anchors = tmp_path / "anchors.jsonl"
    assert runner.invoke(args=["audit", "anchor", "--out", str(anchors)]).exit_code == 0
    fill(session, 3)
    unlock(session)
    session.execute(text("UPDATE audit_events SET after = :a WHERE seq = 7"), {"a": '{"x": 1}'})
    session.execute(text("UPDATE audit_events SET after = :a WHERE seq = 2"), {"a": '{"x": 1}'})
    session.commit()
    [anchor] = [audit_chain.read_anchor(line) for line in anchors.read_text().splitlines()]
    report = audit_chain.verify_chain(session, since=anchor)
    assert (report.ok, report.broken_at, report.checked) == (False, 7, 1)
    assert audit_chain.verify_chain(session).broken_at == 2, "the full walk finds the older edit"
    assert runner.invoke(args=["audit", "verify", "--since-anchor"]).exit_code == 2  # needs --anchors


def test_since_an_anchor_whose_own_event_was_edited_fails_at_once(session, tmp_path, runner):
    fill(session, 5)
    anchors = tmp_path / "anchors.jsonl"
    assert runner.invoke(args=["audit", "anchor", "--out", str(anchors)]).exit_code == 0
    unlock(session)
    session.execute(text("UPDATE audit_events SET outcome = 'forged' WHERE seq = 5"))
    session.commit()
    [anchor] = [audit_chain.read_anchor(line) for line in anchors.read_text().splitlines()]
    report = audit_chain.verify_chain(session, since=anchor)
    assert (report.ok, report.broken_at) == (False, 5) and "anchor" in report.reason


def test_a_refusal_audited_by_its_service_outlives_the_rollback(session):
    """`record_refusal`: the step rolls back, its other events with it; the refusal is appended."""
    with pytest.raises(RuntimeError), UnitOfWork(session):
        audit.record(session, ACTOR, "step.half_done")
        audit.record_refusal(session, ACTOR, "step", "some_refusal", target_type="thing",
                             target_id="1", detail={"why": "four eyes"})
        raise RuntimeError("refused")
    with UnitOfWork(session) as uow:  # recorded in a unit that commits: appended with it
        audit.record_refusal(session, ACTOR, "other", "another_refusal")
        uow.commit()
    rows = session.execute(text("SELECT action, outcome, detail FROM audit_events ORDER BY seq")).all()
    assert [(a, o, json.loads(d) if isinstance(d, str) else d) for a, o, d in rows] == [
        ("step", "refused", {"why": "four eyes", "code": "some_refusal"}),
        ("other", "refused", {"code": "another_refusal"})]
    assert audit_chain.verify_chain(session).ok and audit.pending(session) == []
