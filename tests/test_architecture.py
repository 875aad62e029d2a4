"""The layers as the README draws them: checked on the source, so a shortcut fails a test."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = sorted((ROOT / "creditsvc" / "services").rglob("*.py"))


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _calls(path: Path, attr: str) -> list[int]:
    return [n.lineno for n in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == attr]


def test_only_the_unit_of_work_ends_a_transaction():
    for path in SERVICES:
        if path.name == "uow.py":
            continue
        assert not _calls(path, "commit"), f"{path.name} commits"
        assert not _calls(path, "rollback"), f"{path.name} rolls back"


def test_services_know_no_web_framework_and_no_entry_point():
    for path in SERVICES:
        bad = {m for m in _imports(path) if m.split(".")[0] == "flask"
               or m.startswith(("creditsvc.api", "creditsvc.pages", "creditsvc.cli", "creditsvc.jobs"))}
        assert not bad, f"{path.name} imports {bad}"


def test_models_never_import_the_app():
    for path in (ROOT / "models").glob("*.py"):
        assert not {m for m in _imports(path) if m.startswith("creditsvc")}, path.name


def test_no_module_passes_300_lines():
    for folder in ("creditsvc", "models", "scoring", "lending"):
        for path in (ROOT / folder).rglob("*.py"):
            lines = len(path.read_text("utf-8").splitlines())
            assert lines <= 300, f"{path.relative_to(ROOT)} has {lines} lines"
