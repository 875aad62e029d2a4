"""Training tables: CSV loading, rows to columns, target and column kinds."""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

# "none" is a real category in many tables (German credit: telephone none).
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null"})


class TrainingError(ValueError):
    """The training data cannot produce a scorecard."""


def file_sha256(path: str | Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_sha256(columns: Mapping[str, Sequence], y: np.ndarray) -> str:
    """Return the SHA-256 of a canonical JSON of columns and target."""
    def clean(v):
        return None if isinstance(v, float) and math.isnan(v) else v
    body = {"columns": {k: [clean(v) for v in col] for k, col in sorted(columns.items())},
            "target": [int(t) for t in y]}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_csv(path: str | Path, target: str, bad_value: str | None = None):
    """Read a CSV into (columns, y): numeric columns become floats, missing None."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            header = reader.fieldnames or []
    except FileNotFoundError:
        raise TrainingError(f"no such file: {path}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise TrainingError(f"{path} is not a readable UTF-8 CSV: {exc}") from None
    if not header or not rows:
        raise TrainingError(f"{path} has no data rows")
    if target not in header:
        raise TrainingError(f"target column {target!r} not in {path} (columns: {', '.join(header)})")
    raw = {name: [_cell(r.get(name)) for r in rows] for name in header if name != target}
    columns = {name: _typed(values) for name, values in raw.items()}
    y = target_vector([r.get(target) for r in rows], bad_value, target)
    return columns, y


def _cell(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return None if text.lower() in MISSING_TOKENS else text


def _typed(values: list[str | None]) -> list:
    try:
        return [None if v is None else float(v) for v in values]
    except ValueError:
        return values


def target_vector(labels: Sequence, bad_value, name: str = "target") -> np.ndarray:
    """Map target labels to 1 (bad) / 0 (good); bad_value defaults to 1 or 'bad'."""
    texts = [None if v is None else str(v).strip() for v in labels]
    if any(t is None or t.lower() in MISSING_TOKENS for t in texts):
        raise TrainingError(f"target column {name!r} has missing values")
    seen = set(texts)
    if len(seen) < 2:
        raise TrainingError(f"target column {name!r} has one class only ({sorted(seen)}); "
                            "need both good and bad rows")
    if bad_value is None:
        numeric_bad = {"1", "1.0", "True", "true"} & seen
        bad_value = "bad" if "bad" in seen else (numeric_bad.pop() if numeric_bad else None)
        if bad_value is None:
            raise TrainingError(f"cannot tell the bad class of {name!r} from {sorted(seen)[:5]}; "
                                "give bad_value")
    bad = str(bad_value)
    y = np.array([1.0 if t == bad else 0.0 for t in texts])
    if len(seen) < 2 or y.sum() in (0, len(y)):
        raise TrainingError(f"target column {name!r} has one class only ({sorted(seen)}); "
                            "need both good and bad rows")
    return y


def as_columns(data, target) -> tuple[dict[str, list], Sequence | None]:
    """Accept rows (sequence of mappings) or columns; split off a named target."""
    if isinstance(data, Mapping):
        columns = {k: list(v) for k, v in data.items()}
    else:
        rows = list(data)
        if not rows:
            raise TrainingError("no training rows")
        names = list(dict.fromkeys(k for r in rows for k in r))
        columns = {k: [r.get(k) for r in rows] for k in names}
    if not columns or not any(len(v) for v in columns.values()):
        raise TrainingError("no training rows")
    if isinstance(target, str):
        if target not in columns:
            raise TrainingError(f"target column {target!r} missing (columns: {', '.join(columns)})")
        return columns, columns.pop(target)
    return columns, None


def infer_kinds(columns: Mapping[str, list], numeric, categorical) -> tuple[list[str], list[str]]:
    """Split columns into numeric and categorical: numbers (and bools) are numeric."""
    if numeric is not None or categorical is not None:
        num, cat = list(numeric or []), list(categorical or [])
        unknown = [c for c in num + cat if c not in columns]
        if unknown:
            raise TrainingError(f"unknown feature column(s): {', '.join(unknown)}")
        return num, cat
    num, cat = [], []
    for name, values in columns.items():
        present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
        if not present:
            raise TrainingError(f"feature {name!r} is missing in every row")
        (num if all(isinstance(v, int | float) for v in present) else cat).append(name)
    return num, cat
