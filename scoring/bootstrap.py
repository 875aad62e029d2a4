"""Build the bootstrap scorecard from the synthetic book, reproducibly (bit for bit on one
machine; on another CPU, BLAS may round the last digit of a coefficient differently)."""

from __future__ import annotations

from pathlib import Path

from scoring.artifact import dumps
from scoring.features import FEATURES
from scoring.synthetic import ROWS, SEED, TARGET, generate_book
from scoring.train import train_scorecard

DEFAULT_PATH = Path(__file__).parent / "artifacts" / "bootstrap.json"
# Fixed so that rebuilding gives the same bytes (and the same model SHA-256).
CREATED_AT = "2025-01-01T00:00:00+00:00"
DESCRIPTION = (f"BOOTSTRAP scorecard trained on a synthetic loan book (scoring.synthetic, "
               f"seed {SEED}, {ROWS} rows), not on programme outcomes; retrain on the "
               "programme's own outcomes (bad = 90+ DPD within 12 months) when available")


def build_bootstrap() -> dict:
    """Train the bootstrap scorecard on the synthetic book; return its artifact."""
    rows = generate_book(ROWS, SEED)
    return train_scorecard(
        rows, TARGET,
        numeric=[f.name for f in FEATURES if f.kind == "numeric"],
        categorical=[f.name for f in FEATURES if f.kind == "categorical"],
        directions={f.name: f.direction for f in FEATURES if f.direction},
        bad_value=1,
        feature_meta={f.name: {"label_zh": f.label_zh, "label_en": f.label_en} for f in FEATURES},
        random_state=SEED % (2**31), created_at=CREATED_AT, description=DESCRIPTION,
    )


def write_bootstrap(path: str | Path = DEFAULT_PATH) -> Path:
    """Build the bootstrap artifact and write it as JSON; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(build_bootstrap()), encoding="utf-8")
    return path


def bootstrap_text() -> str:
    """Return the exact file text of a freshly built bootstrap artifact."""
    return dumps(build_bootstrap())
