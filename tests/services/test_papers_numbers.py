"""Two papers printed at once get two numbers of their series, and both printings are audited.

Runs on the engine under test (SQLite by default, PostgreSQL with CREDITSVC_TEST_DB).
"""

from datetime import date

from sqlalchemy import select

from creditsvc.infra.extensions import db
from creditsvc.services.papers.documents import NOTICE
from creditsvc.services.papers.render import stamp
from creditsvc.services.platform.audit_chain import verify_chain
from models import AuditEvent
from tests.conftest import ACTOR
from tests.work import at_once, done

ON = date(2026, 11, 2)


def test_two_printings_at_once_take_two_numbers(app, session):
    def print_one(i):
        return done(db.session, stamp, ACTOR, NOTICE, {"i": i % 2}, today=ON,
                    target_type="household", target_id=f"h{i}").number

    numbers = sorted(at_once(app, 4, print_one))
    assert numbers == [f"TZ-2026-{n:06d}" for n in (1, 2, 3, 4)]
    events = session.execute(select(AuditEvent).where(AuditEvent.action == "paper.print")
                             ).scalars().all()
    assert sorted(e.detail["number"] for e in events) == numbers
    assert len({e.detail["sha256"] for e in events}) == 2  # two sets of figures, two hashes
    assert verify_chain(session).ok
