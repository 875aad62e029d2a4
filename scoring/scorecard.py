"""The compiled scorer: a validated JSON points table scored in plain Python."""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from scoring.artifact import ArtifactError, validate
from scoring.batch import (
    categorical_chunk_index,
    category_index,
    coerced_index,
    numeric_chunk_index,
)

__all__ = ["ArtifactError", "PointLine", "Reason", "ScoreResult", "Scorecard"]

MAX_REASONS = 3


class PointLine(NamedTuple):
    """Points one feature earned: its value, bin label, points and best points."""

    feature: str
    value: Any
    bin: str
    points: float
    max_points: float


class Reason(NamedTuple):
    """A reason that lowered the score, with its shortfall from the best bin."""

    code: str
    feature: str
    text_zh: str
    text_en: str
    shortfall: float


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """Score (points floored to 0.01), PD, points per feature, top reasons."""

    score: float
    pd: float
    points: tuple[PointLine, ...]
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict of the result."""
        return {"score": self.score, "pd": self.pd,
                "points": [p._asdict() for p in self.points],
                "reasons": [r._asdict() for r in self.reasons]}


# tuple.__new__ builds a PointLine in half the time of its generated __new__.
_new_line = tuple.__new__


def floor_score(total):
    """Floor points to 0.01; the 1e-6 absorbs float noise (99.999999… is 100)."""
    return np.floor(total * 100 + 1e-6) / 100


class Scorecard:
    """A scorecard compiled from its JSON artifact; immutable after loading."""

    def __init__(self, artifact: dict) -> None:
        self._artifact = json.loads(json.dumps(artifact))  # private deep copy
        self._intercept = float(artifact["intercept"])
        self._compiled = []
        self._tables = []
        for f in artifact["features"]:
            bins = [*f["bins"], f["missing"]]
            coef = float(f["coefficient"])
            table = tuple((b["label"], float(b["points"]), coef * float(b["woe"])) for b in bins)
            miss = len(bins) - 1
            numeric = f["kind"] == "numeric"
            edges = [float(e) for e in f.get("edges", [])]
            cmap = {c: i for i, g in enumerate(f.get("groups", [])) for c in g}
            best = max(t[1] for t in table)
            code = f"RC_{f['name'].upper()}"
            zh, en = f.get("label_zh", f["name"]), f.get("label_en", f["name"])
            # Reason texts per bin, made once here so scoring only picks them.
            reason = tuple((code, f["name"], f"{zh}（{t[0]}）拉低了评分",
                            f"{en} ({t[0]}) lowered the score") for t in table)
            self._compiled.append((f["name"], numeric, edges, cmap, miss, table, best, reason))
            self._tables.append((np.array(edges), np.array([t[1] for t in table]),
                                 np.array([t[2] for t in table])))

    @classmethod
    def from_json(cls, source: str | bytes | Mapping) -> Scorecard:
        """Load and validate an artifact from JSON text or a parsed dict."""
        if isinstance(source, str | bytes):
            try:
                source = json.loads(source)
            except (ValueError, UnicodeDecodeError) as exc:
                raise ArtifactError(f"artifact is not valid JSON: {exc}") from None
        return cls(validate(dict(source) if isinstance(source, Mapping) else source))

    @property
    def sha256(self) -> str:
        """The artifact's SHA-256 (hex)."""
        return self._artifact["sha256"]

    @property
    def version(self) -> str:
        """A short model id: the first 12 hex digits of the SHA-256."""
        return self.sha256[:12]

    @property
    def features(self) -> tuple[str, ...]:
        """The names of the features the scorecard reads."""
        return tuple(c[0] for c in self._compiled)

    @property
    def artifact(self) -> dict:
        """A copy of the artifact dict."""
        return json.loads(json.dumps(self._artifact))

    def score(self, features: Mapping[str, Any]) -> ScoreResult:
        """Score one row; missing or unknown values fall into the missing bin."""
        get = features.get
        line = _new_line
        total = 0.0
        logit = self._intercept
        lines = []
        gaps = []
        texts = []
        for name, numeric, edges, cmap, miss, table, best, reason in self._compiled:
            v = get(name)
            if numeric:
                # v != v is the cheapest NaN test on the hot path.
                if v is None or v != v:  # noqa: PLR0124
                    i = miss
                else:
                    try:
                        i = bisect_right(edges, v)
                    except TypeError:
                        i = coerced_index(edges, v, miss)
            else:
                try:
                    i = cmap.get(v, miss) if v.__class__ is str else category_index(cmap, v, miss)
                except TypeError:
                    i = miss
            label, pts, contrib = table[i]
            total += pts
            logit += contrib
            lines.append(line(PointLine, (name, v, label, pts, best)))
            gaps.append(best - pts)
            texts.append(reason[i])
        # numpy's exp, not math.exp: they differ in the last bit, and a row alone
        # must equal the same row in score_batch.
        return ScoreResult(math.floor(total * 100 + 1e-6) / 100,  # == floor_score(total)
                           float(1.0 / (1.0 + np.exp(-logit))),
                           tuple(lines), self._reasons(gaps, texts))

    @staticmethod
    def _reasons(gaps: list[float], texts: list[tuple]) -> tuple[Reason, ...]:
        # Stable sort: equal shortfalls keep feature order.
        top = sorted(range(len(gaps)), key=gaps.__getitem__, reverse=True)[:MAX_REASONS]
        return tuple(_new_line(Reason, (*texts[k], gaps[k])) for k in top if gaps[k] > 1e-9)

    def score_batch(self, columns: Mapping[str, Any], chunk_size: int = 65536):
        """Score columns of rows with numpy; return (scores, pds) arrays."""
        n = max((len(columns[name]) for name in self.features if name in columns), default=0)
        scores = np.empty(n)
        pds = np.empty(n)
        for start in range(0, n, chunk_size):
            stop = min(start + chunk_size, n)
            total = np.zeros(stop - start)
            logit = np.full(stop - start, self._intercept)
            for compiled, (edges, pts, contrib) in zip(self._compiled, self._tables, strict=True):
                name, numeric, _, cmap, miss = compiled[:5]
                column = columns.get(name)
                if column is None:
                    idx = np.full(stop - start, miss, dtype=np.intp)
                elif numeric:
                    idx = numeric_chunk_index(edges, column[start:stop], miss)
                else:
                    idx = categorical_chunk_index(cmap, column[start:stop], miss)
                total += pts[idx]
                logit += contrib[idx]
            scores[start:stop] = floor_score(total)
            pds[start:stop] = 1.0 / (1.0 + np.exp(-logit))
        return scores, pds
