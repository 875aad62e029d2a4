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


# What opens a unit of work: the class, and the CLI's context manager around it (cli/work.py).
UNIT_OPENERS = ("UnitOfWork", "unit_of_work")


def _opens_a_unit(call: ast.Call) -> bool:
    return getattr(call.func, "id", getattr(call.func, "attr", None)) in UNIT_OPENERS


def _bare_ends(source: str) -> list[str]:
    """Where SOURCE commits or rolls back other than through a unit of work: each `commit()` or
    `rollback()` must be called on `UnitOfWork(...)` or on a name bound by `with UnitOfWork(...)
    as name` (or the CLI's `unit_of_work()`)."""
    tree = ast.parse(source)
    units = {item.optional_vars.id for node in ast.walk(tree) if isinstance(node, ast.With)
             for item in node.items
             if isinstance(item.context_expr, ast.Call)
             and _opens_a_unit(item.context_expr)
             and isinstance(item.optional_vars, ast.Name)}
    bare = []
    for n in ast.walk(tree):
        if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and n.func.attr in ("commit", "rollback")):
            continue
        receiver = n.func.value
        if isinstance(receiver, ast.Name) and receiver.id in units:
            continue
        if isinstance(receiver, ast.Call) and _opens_a_unit(receiver):
            continue
        bare.append(ast.unparse(n))
    return bare


def test_only_the_unit_of_work_ends_a_transaction():
    uow = ROOT / "creditsvc" / "services" / "platform" / "uow.py"
    bare = [f"{path.relative_to(ROOT)}: {end}"
            for path in sorted((ROOT / "creditsvc").rglob("*.py")) if path != uow
            for end in _bare_ends(path.read_text("utf-8"))]
    assert not bare, "a transaction ended outside the unit of work: " + "; ".join(bare)


def test_the_check_of_transaction_ends_can_fail():
    source = ("def f(session):\n    with UnitOfWork(session) as uow:\n        uow.commit()\n"
              "    UnitOfWork(session).rollback()\n    session.rollback()\n"
              "    db.session.commit()\n")
    assert _bare_ends(source) == ["session.rollback()", "db.session.commit()"]


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
