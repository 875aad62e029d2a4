"""SQLite on a full disk: a clear 503, the file intact, and work resumes once there is room.

The disk is filled the way SQLite sees it: `PRAGMA max_page_count` caps the file, so a write
that needs a new page fails with SQLITE_FULL ("database or disk is full"), the error a full
disk gives, without filling the machine's disk.
"""

import sqlite3

from sqlalchemy import event, text

from creditsvc import create_app
from creditsvc.infra.extensions import db
from creditsvc.services.platform.audit_chain import verify_chain
from tests import dbs
from tests.api.test_applications import household as new_household
from tests.conftest import make_config
from tests.factories import HouseholdFactory


def test_a_full_disk_gives_503_keeps_the_file_and_work_resumes(tmp_path, keys):
    path = tmp_path / "full.sqlite3"
    app = create_app(make_config(f"sqlite:///{path}"))
    dbs.migrate_to_head(app)
    room = {"pages": None}

    def _cap(dbapi_conn, _record):
        if room["pages"] is not None:
            dbapi_conn.execute(f"PRAGMA max_page_count = {room['pages']}")

    with app.app_context():
        event.listen(db.engine, "connect", _cap)
        client = app.test_client()
        officer = keys.headers("officer")
        new_household(client, officer)  # the key's user and a first file
        db.session.remove()
        db.engine.dispose()
        used = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
        room["pages"] = used + 2  # about full: a few writes fit
        statuses = []
        for _ in range(40):
            answer = client.post("/api/v1/households", json=HouseholdFactory(), headers=officer)
            statuses.append(answer.status_code)
            if answer.status_code == 503:
                assert answer.get_json()["code"] == "database_unavailable"
        assert 503 in statuses and 500 not in statuses, statuses
        created = statuses.count(201)
        db.session.remove()
        db.engine.dispose()
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM households").fetchone()[0] == created + 1
        room["pages"] = None  # space freed
        db.engine.dispose()
        assert client.post("/api/v1/households", json=HouseholdFactory(),
                           headers=officer).status_code == 201
        assert db.session.execute(text("SELECT count(*) FROM households")).scalar() == created + 2
        assert verify_chain(db.session).ok, "no event of a refused write was appended"
        db.session.remove()
        db.engine.dispose()
