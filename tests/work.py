"""Run a service the way every entry point does: in one unit of work, committed once."""

from creditsvc.services.platform.uow import UnitOfWork


def done(session, service, *args, **kwargs):
    """SERVICE(session, *args, **kwargs) in a unit of work that commits; a refusal rolls it back."""
    with UnitOfWork(session) as uow:
        result = service(session, *args, **kwargs)
        uow.commit()
    return result
