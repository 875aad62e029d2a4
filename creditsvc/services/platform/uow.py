"""The unit of work: the one owner of a business transaction.

Every entry point (an API view, a page handler, a CLI command, a background job) opens one,
lets services flush their changes into its session, and commits once. Services never commit.
The audit events a service records ride in the same transaction: they are appended to the
hash chain at commit, the last thing before COMMIT, so the chain's head row is locked only for
those final moments, and a rolled-back transaction leaves neither its writes nor its events,
except the refusals a service chose to audit (`audit.record_refusal`): those are appended
after the rollback, in a transaction of their own.
"""

import logging

from sqlalchemy.orm import Session

from creditsvc.services.platform import audit

log = logging.getLogger(__name__)


class UnitOfWork:
    """One transaction on SESSION: `commit()` once at the end; leaving without it rolls back."""

    def __init__(self, session: Session):
        self.session = session
        self.committed = False

    def __enter__(self) -> "UnitOfWork":
        self.committed = False
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.committed:
            self.rollback()

    def commit(self) -> None:
        """Append the recorded audit events to the chain, then commit everything together."""
        try:
            audit.append_pending(self.session)
            self.session.commit()
        except BaseException:
            self.rollback()
            raise
        self.committed = True

    def rollback(self) -> None:
        """Undo every write and forget the recorded audit events but the refusals, appended then."""
        refused = audit.take_refusals(self.session)
        audit.discard_pending(self.session)
        self.session.rollback()
        if refused:
            self._append_refusals(refused)

    def _append_refusals(self, refused: list[dict]) -> None:
        """Append REFUSED events in a transaction of their own; a failure is logged, not raised:
        it would hide the refusal (or the error) that the caller is answering with."""
        try:
            audit.requeue(self.session, refused)
            audit.append_pending(self.session)
            self.session.commit()
        except Exception:
            log.exception("could not audit %d refused step(s)", len(refused))
            audit.discard_pending(self.session)
            self.session.rollback()
