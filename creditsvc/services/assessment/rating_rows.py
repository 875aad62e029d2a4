"""A campaign's ratings computed and written set-based: the headline, not the explanation.

Each household's input is built as an application's (`inputs.build_input` over the batch's
scoring views); its rules' outcomes and decision come from `scoring.headline`, its score and
PD from the compiled scorer over the chunk's feature columns (`Scorecard.score_batch`), which
reach exactly what `assess` reaches (tests/services/test_rating_headline.py). A rating stores
its input and its rules' outcomes (the record replay needs), never the texts, points and
reasons: those are recomputed from the record when the rating is shown.

The rows go to the database in one statement per chunk through the driver: `COPY` on
PostgreSQL, one `executemany` on SQLite, each record encoded once with orjson.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import orjson
from sqlalchemy.orm import Session

from creditsvc.core.money import from_fen, to_fen
from creditsvc.services.assessment.inputs import ScoringView, build_input
from models import Rating
from models.base import new_id
from scoring.features import derive_features
from scoring.headline import decide, feature_columns, rule_outcomes
from scoring.policy import Policy
from scoring.scorecard import Scorecard

COLUMNS = ("id", "created_at", "updated_at", "household_id", "campaign_id", "borrower_member_id",
           "requested_amount_fen", "term_months", "purpose", "decision", "grade", "score", "pd",
           "line_fen", "policy_version", "model_sha256", "assessment", "rated_by", "rated_on")


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a batch, and resume it after.

    A batch makes millions of short-lived tuples, rows and frozen dataclasses, all freed by
    reference counting; yet every few thousand allocations the collector walks every live
    object. At 100,000 households that walking was about 40% of a batch's CPU (measured:
    155 µs a household with it, 91 µs without, SQLite). Nothing a batch makes needs it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def line_of(decision: str, grade: str | None, limit) -> int:
    """The line a rating allows: its grade's limit (policy grade_bands), 0 declined or unrated."""
    return 0 if decision == "declined" or grade is None or limit is None else to_fen(limit)


def headlines(pending: list[tuple[ScoringView, object]], policy: Policy, scorecard: Scorecard,
              on: date) -> list[tuple]:
    """(input, rule letters, score, pd, grade, decision, line_fen) of each (view, survey)."""
    inputs = [build_input(view, amount=from_fen(s.intended_amount_fen), term_months=s.term_months,
                          purpose=s.purpose, on=on) for view, s in pending]
    if not inputs:
        return []
    lookback = policy.shock_lookback_days
    scores, pds = scorecard.score_batch(feature_columns(
        [derive_features(inp, lookback_days=lookback) for inp in inputs]))
    out = []
    for inp, score, pd in zip(inputs, scores.tolist(), pds.tolist(), strict=True):
        letters = rule_outcomes(inp, policy)
        grade, limit, decision = decide(letters, score, pd, inp.request.amount, policy)
        out.append((inp, letters, score, pd, grade, decision, line_of(decision, grade, limit)))
    return out


def encode_record(inp, letters: str) -> str:
    """A rating's record as stored: {"input": the input's to_dict, "rules": letters}."""
    # orjson writes the frozen dataclasses field by field, dates ISO, Decimals via str: the
    # same JSON as AssessmentInput.to_dict, at a fraction of its cost.
    return orjson.dumps({"input": inp, "rules": letters}, default=str).decode()


class Writer:
    """Writes rating rows (tuples in COLUMNS' order) for one batch, a chunk at a time."""

    def __init__(self, session: Session, now: datetime, on: date) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect
        table = Rating.__table__
        self.now = self._bound(table.c.created_at, now)
        self.on = self._bound(table.c.rated_on, on)
        self.written = 0

    def _bound(self, column, value):
        process = column.type.bind_processor(self.dialect)
        return process(value) if process else value

    def row(self, household_id: str, campaign_id, survey, head: tuple, policy_version: int,
            model_sha: str, rated_by: str) -> tuple:
        """One rating's row from its survey and its headline (as `headlines` gives it)."""
        inp, letters, score, pd, grade, decision, line = head
        return (new_id(), self.now, self.now, household_id, campaign_id, survey.borrower_member_id,
                survey.intended_amount_fen, survey.term_months, survey.purpose, decision, grade,
                score, pd, line, policy_version, model_sha, encode_record(inp, letters),
                rated_by, self.on)

    def write(self, rows: list[tuple]) -> None:
        """Insert ROWS in one statement, in the session's transaction."""
        if not rows:
            return
        load(self.session, "ratings", rows)
        self.written += len(rows)


def load(session: Session, table: str, rows: list[tuple]) -> None:
    """Insert ROWS (tuples in COLUMNS' order) into TABLE in one driver statement, in the
    session's transaction: `COPY` on PostgreSQL, one `executemany` on SQLite."""
    conn = session.connection()
    names = ", ".join(COLUMNS)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
    else:
        conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES "
                             f"({', '.join('?' * len(COLUMNS))})", rows)
