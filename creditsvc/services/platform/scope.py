"""Bank scoping: a bank's staff see their own bank's objects only; other roles see all.

Every listing and every lookup of a bank-owned object goes through these two functions, so
the rule "no bank may see another's data" is written once.
"""

from sqlalchemy import Select

from creditsvc.core.principal import Principal


def scoped(query: Select, actor: Principal, bank_column) -> Select:
    """QUERY narrowed to the actor's bank when the actor is a bank."""
    return query.where(bank_column == actor.bank_code) if actor.role == "bank" else query


def may_see(actor: Principal, bank_code: str | None) -> bool:
    """Whether the actor may see an object owned by BANK_CODE."""
    return actor.role != "bank" or bank_code == actor.bank_code
