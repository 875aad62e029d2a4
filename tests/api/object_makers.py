"""Objects owned by one bank, for the other-bank column of the permission matrix.

Each path parameter of a bank-readable route needs a maker here: make(client, keys, bank) -> id.
"""

MAKERS: dict = {}
# Parameters naming programme-wide objects (a policy version), which every allowed role reads.
SHARED = {"version"}


def make_ids(client, keys, params, bank):
    """Ids for every parameter of a route, each object owned by BANK."""
    return {p: MAKERS[p](client, keys, bank) for p in params}
