"""`lending` and `scoring` are pure: importing every module pulls in no web or database code."""

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "sqlalchemy", "creditsvc", "models", "werkzeug", "psycopg")

# Run in a fresh interpreter: this test process has Flask and SQLAlchemy loaded already.
PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted(sys.modules)}))
"""


def _imports_of(package: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, package], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("package", ["lending", "scoring"])
def test_importing_every_module_loads_no_flask_or_sqlalchemy(package):
    seen = _imports_of(package)
    assert len(seen["modules"]) >= 7  # the probe walked the package, not an empty one
    leaked = sorted(m for m in seen["loaded"] if m.split(".")[0] in FORBIDDEN)
    assert leaked == []


def test_scoring_never_imports_lending():
    assert not [m for m in _imports_of("scoring")["loaded"] if m.split(".")[0] == "lending"]


def test_the_probe_would_see_a_leak():
    # The check itself is not one that can only pass: a module importing SQLAlchemy shows.
    seen = subprocess.run([sys.executable, "-c", "import json, sys, sqlalchemy; "
                           "print(json.dumps(sorted(sys.modules)))"], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    assert "sqlalchemy" in json.loads(seen.stdout)


def test_every_lending_module_is_listed():
    import lending

    names = {m.name for m in pkgutil.iter_modules(lending.__path__)}
    assert names == {"claims", "classification", "credit_lines", "dates", "eligibility", "fund",
                     "headroom", "lines", "money", "reports", "schedule", "stress", "subsidy"}
