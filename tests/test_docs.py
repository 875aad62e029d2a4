"""The README and docs/ say what the tree is: every path, command and route they cite exists.

A file moved, a command renamed, a role changed on a route, a setting added without a line in
docs/operations.md: each fails here, naming what to mend.
"""

import os
import re
from pathlib import Path

import click
import pytest

from creditsvc.api.auth import PUBLIC_PREFIXES, allowed_roles_of
from creditsvc.infra import settings

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
README_LIMIT = 12 * 1024
ROLES = ("officer", "bank", "fund_manager", "admin")

# A path in the repository, written from its root: creditsvc/services/platform/uow.py.
TREE_PATH = re.compile(r"(?<![\w/.-])((?:creditsvc|models|scoring|lending|tests|bench|migrations"
                       r"|docs|\.ci)/[\w./-]*)")
LINK = re.compile(r"\]\(([^)\s]+)\)")
BACKTICKED_FILE = re.compile(r"`([\w.-]+\.(?:py|md|toml|txt|cfg|sh)|Makefile)`")
FLASK_COMMAND = re.compile(r"flask --app wsgi ([a-z][\w-]*)(?: ([a-z][\w-]*))?")
MAKE_TARGET = re.compile(r"\bmake ([a-z][\w-]*)")


def documents() -> list[Path]:
    return [README, *DOCS]


def generated_dirs() -> tuple[str, ...]:
    """Directories that runs create (.gitignore): citing them is not citing a dead path."""
    lines = (ROOT / ".gitignore").read_text().splitlines()
    return tuple(line.strip() for line in lines if line.strip().endswith("/"))


def cited_paths(doc: Path) -> set[Path]:
    """The repository paths DOC names: tree paths, relative links, root files in backticks."""
    text = doc.read_text()
    found = {ROOT / m.rstrip(".-") for m in TREE_PATH.findall(text)}
    for target in LINK.findall(text):
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        found.add((doc.parent / target.split("#")[0]).resolve())
    found |= {ROOT / name for name in BACKTICKED_FILE.findall(text)}
    return found


def test_readme_is_short():
    size = len(README.read_bytes())
    assert size <= README_LIMIT, (f"README.md is {size} bytes (at most {README_LIMIT}): "
                                  "move reference to docs/")


@pytest.mark.parametrize("doc", documents(), ids=lambda d: d.name)
def test_every_cited_path_exists(doc):
    generated = generated_dirs()
    dead = sorted(str(p.relative_to(ROOT)) for p in cited_paths(doc)
                  if not p.exists() and not f"{p.relative_to(ROOT)}/".startswith(generated))
    assert dead == [], f"{doc.name} cites paths that do not exist: {dead}"


def test_the_path_check_can_fail(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("see `creditsvc/db.py`, [there](nowhere.md) and `setup.cfg`")
    assert {p.name for p in cited_paths(doc) if not p.exists()} == {"db.py", "nowhere.md",
                                                                    "setup.cfg"}


@pytest.mark.parametrize("doc", documents(), ids=lambda d: d.name)
def test_every_cited_flask_command_exists(app, doc):
    missing = []
    for group, sub in FLASK_COMMAND.findall(doc.read_text()):
        command = app.cli.get_command(None, group)
        if command is None:
            missing.append(group)
        elif sub and isinstance(command, click.Group) and sub not in command.commands:
            missing.append(f"{group} {sub}")
    assert missing == [], f"{doc.name} cites flask commands that do not exist: {missing}"


@pytest.mark.parametrize("doc", documents(), ids=lambda d: d.name)
def test_every_cited_make_target_exists(doc):
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    missing = sorted(set(MAKE_TARGET.findall(doc.read_text())) - targets)
    assert missing == [], f"{doc.name} cites make targets the Makefile lacks: {missing}"


def route_table(app) -> list[str]:
    """The role x route table of docs/api.md, as the app's routes make it."""
    rows = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.rule.startswith(PUBLIC_PREFIXES):
            continue
        path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)[len("/api/v1"):]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            allowed = allowed_roles_of(app.view_functions[rule.endpoint], method) or ()
            marks = " | ".join("yes" if role in allowed else "" for role in ROLES)
            rows.append((path, method, f"| {method} | `{path}` | {marks} |"))
    return [row for _, _, row in sorted(rows)]


def documented_route_table() -> list[str]:
    text = (ROOT / "docs" / "api.md").read_text().split("## Roles and routes", 1)[1]
    return [line.rstrip() for line in text.splitlines()
            if re.match(r"\| [A-Z]+ \| `/", line)]


def test_the_role_table_is_the_apps(app):
    expected = route_table(app)
    assert documented_route_table() == expected, (
        "docs/api.md's role x route table differs from the app; its rows should read:\n"
        + "\n".join(expected))


def test_every_setting_is_documented(monkeypatch, tmp_path):
    read = set()

    class Recording(dict):
        def get(self, key, default=None):
            read.add(key)
            return super().get(key, default)

    monkeypatch.setattr(os, "environ", Recording())
    settings.load_config(str(tmp_path))
    operations = (ROOT / "docs" / "operations.md").read_text()
    assert {"DATABASE_URL", "SECRET_KEY", "CREDITSVC_PII_KEY"} <= read
    missing = sorted(name for name in read if f"`{name}`" not in operations)
    assert missing == [], f"settings read from the environment but not in docs/operations.md: {missing}"


def test_no_file_records_issue_numbers():
    pattern = re.compile(r"\bissues? #?\d", re.I)
    skip = {".git", ".venv", "node_modules", "__pycache__", "vendor", "instance", ".pytest_cache"}
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            if not name.endswith((".py", ".md", ".html", ".sh", ".cfg", ".toml", ".ini", ".txt")) \
                    and name not in {"Makefile", "run"}:
                continue
            path = Path(folder) / name
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == [], f"files that record past work by issue number (git holds that): {found}"
