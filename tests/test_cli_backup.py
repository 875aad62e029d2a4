"""flask backup: a copy of a running book, checked, restored into an empty database, reconciled.

Runs on the engine under test (SQLite by default, PostgreSQL with CREDITSVC_TEST_DB).
"""

import json
from contextlib import contextmanager

import pytest
from sqlalchemy import inspect, text

from creditsvc import create_app
from creditsvc.infra.extensions import db
from tests import dbs
from tests.conftest import make_config


@contextmanager
def empty_database(app, tmp_path):
    """A second app, with the first's secrets, on a database with no tables at all."""
    if dbs.engine_under_test() == "postgresql":
        name = dbs.new_pg_database()
        url = dbs.pg_url(name)
    else:
        name, url = None, f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    other = create_app(make_config(url, SECRET_KEY=app.config["SECRET_KEY"],
                                   PII_KEY=app.config["PII_KEY"]))
    try:
        with other.app_context():
            yield other
            db.session.remove()
            db.engine.dispose()
    finally:
        if name:
            dbs.drop_pg_database(name)


def _counts(session) -> dict[str, int]:
    tables = sorted(inspect(session.connection()).get_table_names())
    return {t: session.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}


@pytest.fixture
def book(runner, app, session, tmp_path):
    """A small demo zone with loans, arrears and claims, and an anchor of its audit chain."""
    app.instance_path = str(tmp_path / "instance")
    seeded = runner.invoke(args=["seed-demo", "--households", "150"])
    assert seeded.exit_code == 0, seeded.output
    anchors = tmp_path / "anchors.jsonl"
    assert runner.invoke(args=["audit", "anchor", "--out", str(anchors)]).exit_code == 0
    session.remove()
    return anchors


def test_a_copy_restores_into_an_empty_database_and_reconciles(book, runner, app, session, tmp_path):
    live = _counts(session)
    session.remove()
    folder = tmp_path / "copy"
    made = runner.invoke(args=["backup", "create", "--out", str(folder)])
    assert made.exit_code == 0, made.output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"] == live and live["loans"] > 0 and live["journal_entries"] > 0
    assert manifest["revision"] == session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert manifest["audit_head"]["seq"] == live["audit_events"]
    [(name, facts)] = manifest["files"].items()
    assert facts["bytes"] == (folder / name).stat().st_size and len(facts["sha256"]) == 64
    assert runner.invoke(args=["backup", "verify", str(folder)]).exit_code == 0

    with empty_database(app, tmp_path) as other:
        restore = other.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
        assert restore.exit_code == 0, restore.output
        assert _counts(db.session) == live
        cli = other.test_cli_runner()
        assert cli.invoke(args=["fund", "reconcile"]).exit_code == 0
        checked = cli.invoke(args=["audit", "verify", "--anchors", str(book)])
        assert checked.exit_code == 0 and "1 anchors match" in checked.output, checked.output
        # Restored personal data reads back with the key (it is not in the copy).
        revealed = db.session.execute(text("SELECT head_name_enc FROM households LIMIT 1")).scalar()
        assert other.extensions["creditsvc.core.pii"].decrypt(revealed)


def test_a_database_with_tables_is_replaced_only_when_told(book, runner, tmp_path, session):
    folder = tmp_path / "copy"
    assert runner.invoke(args=["backup", "create", "--out", str(folder)]).exit_code == 0
    session.execute(text("DELETE FROM monitoring_events"))
    session.commit()
    refused = runner.invoke(args=["backup", "restore", str(folder)])
    assert refused.exit_code == 1 and "--force" in refused.output
    forced = runner.invoke(args=["backup", "restore", str(folder), "--force"])
    assert forced.exit_code == 0, forced.output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert _counts(db.session)["monitoring_events"] == manifest["tables"]["monitoring_events"] > 0


def test_a_changed_or_missing_file_fails_verification(book, runner, tmp_path):
    folder = tmp_path / "copy"
    assert runner.invoke(args=["backup", "create", "--out", str(folder)]).exit_code == 0
    again = runner.invoke(args=["backup", "create", "--out", str(folder)])
    assert again.exit_code == 1 and "not empty" in again.output
    [name] = json.loads((folder / "manifest.json").read_text())["files"]
    data = bytearray((folder / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / name).write_bytes(bytes(data))
    changed = runner.invoke(args=["backup", "verify", str(folder)])
    assert changed.exit_code == 1 and "SHA-256" in changed.output
    (folder / name).unlink()
    missing = runner.invoke(args=["backup", "verify", str(folder)])
    assert missing.exit_code == 1 and "missing" in missing.output
    (folder / "manifest.json").unlink()
    assert "not a creditsvc backup" in runner.invoke(args=["backup", "verify", str(folder)]).output
