"""The unit of work: the one owner of a business transaction.

Every entry point (an API view, a page handler, a CLI command, a background job) opens one,
lets services flush their changes into its session, and commits once. Services never commit.
The audit events a service records ride in the same transaction: they are appended to the
hash chain at commit, the last thing before COMMIT, so the chain's head row is locked only for
those final moments, and a rolled-back transaction leaves neither its writes nor its events.
"""

from sqlalchemy.orm import Session

from creditsvc.services.platform import audit


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
        """Undo every write and forget the recorded audit events."""
        audit.discard_pending(self.session)
        self.session.rollback()
