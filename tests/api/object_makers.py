"""Objects owned by one bank, for the other-bank column of the permission matrix.

Each path parameter of a bank-readable route needs a maker here: make(client, keys, bank) -> id.
"""

MAKERS: dict = {}
# Parameters naming programme-wide objects (a policy version), which every allowed role reads.
SHARED = {"version"}


def make_ids(client, keys, params, bank):
    """Ids for every parameter of a route, each object owned by BANK."""
    return {p: MAKERS[p](client, keys, bank) for p in params}


def _loan(client, keys, bank):
    """A defaulted loan of BANK, inserted with the models (fund engineer)."""
    from creditsvc.extensions import db
    from models import Fund
    from tests.fund_factories import defaulted_loan, fund_with

    if db.session.get(Fund, 1).capital_fen == 0:
        fund_with(db.session, 50_000_000)
    loan_id = defaulted_loan(db.session, bank=bank).id
    db.session.rollback()  # end the read: on SQLite an open transaction holds the write lock
    return loan_id


def _claim(client, keys, bank):
    """A filed claim of BANK on one of its defaulted loans (fund engineer)."""
    loan_id = _loan(client, keys, bank)
    response = client.post(f"/api/v1/loans/{loan_id}/claims", headers=keys.headers("bank", bank))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


MAKERS.setdefault("loan_id", _loan)
MAKERS["claim_id"] = _claim
