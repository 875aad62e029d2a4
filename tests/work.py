"""Run a service the way every entry point does: in one unit of work, committed once."""

from creditsvc.services.platform.uow import UnitOfWork


def done(session, service, *args, **kwargs):
    """SERVICE(session, *args, **kwargs) in a unit of work that commits; a refusal rolls it back."""
    with UnitOfWork(session) as uow:
        result = service(session, *args, **kwargs)
        uow.commit()
    return result


def at_once(app, n: int, attempt) -> list:
    """ATTEMPT(i) for i < N in N threads released together (a race), each in an app context
    with a session of its own; what each returned, or its refusal's code, in the order of i."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from creditsvc.core.errors import AppError
    from creditsvc.infra.extensions import db

    start = Barrier(n)

    def one(i):
        with app.app_context():
            try:
                start.wait()
                return attempt(i)
            except AppError as exc:
                return exc.code
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))
