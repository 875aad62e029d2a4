"""Fixtures for the scoring package tests: policy and trained scorecards."""

from __future__ import annotations

import pytest
from scoring_factories import GERMAN

from scoring.bootstrap import DEFAULT_PATH
from scoring.policy import DEFAULT_POLICY
from scoring.scorecard import Scorecard
from scoring.train import fit_scorecard, load_csv


@pytest.fixture
def policy():
    return DEFAULT_POLICY


@pytest.fixture(scope="session")
def bootstrap_card() -> Scorecard:
    return Scorecard.from_json(DEFAULT_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def german():
    columns, y = load_csv(GERMAN, "creditability", "bad")
    return columns, y, fit_scorecard(columns, y, holdout=0)
