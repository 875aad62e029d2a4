"""Schemathesis, as every role, in every phase: 0 failures, nothing skipped."""

import pytest

from tests.api import schemathesis_run


@pytest.mark.slow
@pytest.mark.parametrize("role, bank", [("officer", None), ("bank", "PSBC"),
                                        ("fund_manager", None), ("admin", None)])
def test_schemathesis_finds_nothing(app, client, keys, role, bank):
    path_ids = schemathesis_run.seed_objects(client, keys)
    problems, scenarios = schemathesis_run.run(app, keys.headers(role, bank), path_ids)
    assert scenarios > 40
    assert problems == []
