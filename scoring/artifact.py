"""The scorecard artifact: a JSON points table identified by its SHA-256."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

FORMAT = "creditsvc-scorecard"
FORMAT_VERSION = 1

PDO_DEFAULTS = {"pdo": 20.0, "base_score": 600.0, "base_odds": 50.0}


def canonical_json(obj: Any) -> str:
    """Return the canonical JSON text: sorted keys, no whitespace, UTF-8 text."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def artifact_sha256(artifact: dict) -> str:
    """Return the SHA-256 of the artifact's canonical JSON without its sha256 field."""
    body = {k: v for k, v in artifact.items() if k != "sha256"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def seal(artifact: dict) -> dict:
    """Return the artifact with its sha256 field set."""
    sealed = {k: v for k, v in artifact.items() if k != "sha256"}
    sealed["sha256"] = artifact_sha256(sealed)
    return sealed


def dumps(artifact: dict) -> str:
    """Return the artifact as stable, readable JSON text for files."""
    return json.dumps(artifact, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def scale_points(features: list[dict], intercept: float, scaling: str) -> dict:
    """Set each bin's points from -coefficient × WOE; return the scaling record.

    Linear scaling maps every feature's worst bin to 0 and the total of the
    best bins to 100; PDO scaling adds `pdo` points per doubling of good odds.
    Either way the score is affine in the logit, so PD falls as points rise.
    """
    goodness = []
    for f in features:
        g = [-f["coefficient"] * b["woe"] for b in [*f["bins"], f["missing"]]]
        goodness.append(g)
    if scaling == "linear":
        span = sum(max(g) - min(g) for g in goodness)
        if span <= 0:
            raise ValueError("no feature separates goods from bads: cannot scale points")
        factor = 100.0 / span
        shifts = [-min(g) * factor for g in goodness]
        record = {"method": "linear", "factor": factor, "score_min": 0.0, "score_max": 100.0}
    elif scaling == "pdo":
        p = PDO_DEFAULTS
        factor = p["pdo"] / math.log(2)
        offset = p["base_score"] - factor * math.log(p["base_odds"])
        shifts = [(offset - factor * intercept) / len(features)] * len(features)
        record = {"method": "pdo", **p, "factor": factor, "offset": offset}
    else:
        raise ValueError(f"unknown scaling {scaling!r}: use 'linear' or 'pdo'")
    for f, g, shift in zip(features, goodness, shifts, strict=True):
        for b, gb in zip([*f["bins"], f["missing"]], g, strict=True):
            b["points"] = gb * factor + shift
    if scaling == "pdo":
        record["score_min"] = sum(min(b["points"] for b in [*f["bins"], f["missing"]]) for f in features)
        record["score_max"] = sum(max(b["points"] for b in [*f["bins"], f["missing"]]) for f in features)
    return record
