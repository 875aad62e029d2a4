"""The scorecard artifact: a JSON points table identified by its SHA-256."""

from __future__ import annotations

import hashlib
import json
import math
from itertools import pairwise
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


class ArtifactError(ValueError):
    """The scorecard artifact is malformed, of another format, or tampered with."""


def _finite(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ArtifactError(f"{where} must be a finite number, got {value!r}")
    return float(value)


def _check_bin(b, where: str) -> None:
    if not isinstance(b, dict) or not isinstance(b.get("label"), str):
        raise ArtifactError(f"{where} must be an object with a string label")
    _finite(b.get("woe"), f"{where}.woe")
    _finite(b.get("points"), f"{where}.points")


def validate(artifact) -> dict:
    """Check structure, format and SHA-256 of a parsed artifact; return it."""
    if not isinstance(artifact, dict):
        raise ArtifactError("artifact must be a JSON object")
    if artifact.get("format") != FORMAT or artifact.get("format_version") != FORMAT_VERSION:
        raise ArtifactError(f"not a {FORMAT} v{FORMAT_VERSION} artifact "
                            f"(format={artifact.get('format')!r}, "
                            f"version={artifact.get('format_version')!r})")
    sha = artifact.get("sha256")
    if not isinstance(sha, str):
        raise ArtifactError("artifact has no sha256 field")
    try:
        actual = artifact_sha256(artifact)
    except (TypeError, ValueError) as exc:
        raise ArtifactError(f"artifact is not canonical JSON: {exc}") from None
    if actual != sha:
        raise ArtifactError(f"sha256 mismatch: artifact says {sha[:12]}…, content hashes to "
                            f"{actual[:12]}…; it was modified after training")
    _finite(artifact.get("intercept"), "intercept")
    features = artifact.get("features")
    if not isinstance(features, list) or not features:
        raise ArtifactError("features must be a non-empty list")
    names = [f.get("name") if isinstance(f, dict) else None for f in features]
    if any(not isinstance(n, str) for n in names) or len(set(names)) != len(names):
        raise ArtifactError("every feature needs a unique string name")
    for f in features:
        _check_feature(f)
    if not isinstance(artifact.get("scaling"), dict):
        raise ArtifactError("scaling must be an object")
    return artifact


def _check_feature(f: dict) -> None:
    name = f["name"]
    bins = f.get("bins")
    if not isinstance(bins, list) or not bins:
        raise ArtifactError(f"feature {name!r}: bins must be a non-empty list")
    for i, b in enumerate(bins):
        _check_bin(b, f"feature {name!r} bin {i}")
    _check_bin(f.get("missing"), f"feature {name!r} missing bin")
    _finite(f.get("coefficient"), f"feature {name!r} coefficient")
    if f.get("kind") == "numeric":
        edges = f.get("edges")
        if not isinstance(edges, list) or len(edges) != len(bins) - 1:
            raise ArtifactError(f"feature {name!r}: needs len(bins) - 1 edges")
        values = [_finite(e, f"feature {name!r} edge") for e in edges]
        if any(a >= b for a, b in pairwise(values)):
            raise ArtifactError(f"feature {name!r}: edges must strictly increase")
    elif f.get("kind") == "categorical":
        groups = f.get("groups")
        if not isinstance(groups, list) or len(groups) != len(bins):
            raise ArtifactError(f"feature {name!r}: needs one category group per bin")
        cats = [c for g in groups for c in (g if isinstance(g, list) else [None])]
        if any(not isinstance(c, str) for c in cats) or len(set(cats)) != len(cats):
            raise ArtifactError(f"feature {name!r}: groups must be lists of distinct strings")
    else:
        raise ArtifactError(f"feature {name!r}: kind must be numeric or categorical")
