"""Users who sign in to the pages: made with a password, and a client signed in as one."""

import re
from dataclasses import dataclass

from creditsvc.core.vocab import TOWNS
from creditsvc.infra.extensions import db
from creditsvc.services.access import accounts, areas, users
from creditsvc.services.platform.uow import UnitOfWork
from models.base import utcnow
from tests.conftest import ACTOR

PASSWORD = "correct-horse-42"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Person:
    """A user of the pages: their name, role, bank, password and user id."""

    name: str
    role: str
    bank: str | None
    password: str
    user_id: str


def make_person(name: str, role: str = "officer", bank: str | None = None, *,
                password: str = PASSWORD, must_change: bool = False,
                area: tuple[str, ...] = TOWNS) -> Person:
    """A user with an API key and a page password; an officer works in AREA (every town)."""
    with UnitOfWork(db.session) as uow:
        user, _key = users.create_user(uow.session, ACTOR, name, role, bank)
        accounts.set_password(uow.session, ACTOR, name, password, must_change=must_change,
                              now=utcnow())
        if role == "officer":
            areas.assign(uow.session, ACTOR, user.id, [areas.Area.parse(a) for a in area])
        person = Person(name, role, bank, password, user.id)
        uow.commit()
    # Hold no transaction open: a live server's requests write to the same database.
    db.session.close()
    return person


def csrf_of(response) -> str:
    """The CSRF token a page carries."""
    return CSRF.search(response.get_data(as_text=True)).group(1)


def sign_in(client, person: Person, password: str | None = None):
    """Sign CLIENT in as PERSON through the sign-in form; the response of the post."""
    token = csrf_of(client.get("/login"))
    return client.post("/login", data={"username": person.name,
                                       "password": password or person.password,
                                       "csrf_token": token})


def assign_area(person: Person, *area: str) -> None:
    """Make AREA (渔湖镇, 渔湖镇/东湖村…) the officer's whole area."""
    with UnitOfWork(db.session) as uow:
        areas.assign(uow.session, ACTOR, person.user_id, [areas.Area.parse(a) for a in area])
        uow.commit()
    db.session.close()
