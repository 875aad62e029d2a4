"""Who is acting: passed explicitly into every service."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """The authenticated caller and the request it acts in."""

    user_id: str | None
    name: str
    role: str
    bank_code: str | None = None
    request_id: str | None = None


SYSTEM = Principal(user_id=None, name="system", role="system")
