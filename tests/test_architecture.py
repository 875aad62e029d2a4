"""The layers as the README draws them: checked on the source, so a shortcut fails a test."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = sorted((ROOT / "creditsvc" / "services").rglob("*.py"))
# The first-party packages whose modules may not import one another in a circle.
FIRST_PARTY = ("creditsvc", "models", "scoring", "lending")


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


def module_name(path: Path) -> str:
    """creditsvc/api/body.py -> creditsvc.api.body; a package's __init__.py is the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def first_party_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in FIRST_PARTY for p in sorted((ROOT / pkg).rglob("*.py"))}


def imported_modules(name: str, path: Path, known) -> set[str]:
    """The modules NAME imports anywhere in its source (functions too), relative ones resolved.

    `from a.b import c` is the module a.b.c when there is one, else a.b (a name it defines).
    """
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = name.split(".")[: len(name.split(".")) - node.level
                                         + (path.name == "__init__.py")]
                module = ".".join([*base, module] if module else base)
            out.update(f"{module}.{a.name}" if f"{module}.{a.name}" in known else module
                       for a in node.names)
    return out


def import_graph() -> dict[str, set[str]]:
    modules = first_party_modules()
    return {name: {m for m in imported_modules(name, path, modules) if m in modules and m != name}
            for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph)))
    try:
        for node in sorted(graph):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_no_module_outside_the_api_imports_it():
    """Pages, the CLI, jobs and infra share schemas and fields from below (creditsvc/schemas)."""
    modules = first_party_modules()
    graph = import_graph()
    wired = {"creditsvc"}  # the app factory wires the API in
    assert len(graph) >= 150
    outside = {name: sorted(m for m in graph[name] if m == "creditsvc.api"
                            or m.startswith("creditsvc.api."))
               for name in graph if name not in wired
               and not (name == "creditsvc.api" or name.startswith("creditsvc.api."))}
    assert {name: found for name, found in outside.items() if found} == {}
    assert any(m.startswith("creditsvc.api") for m in imported_modules(
        "creditsvc", modules["creditsvc"], modules))  # the walk sees the factory's imports


def test_no_modules_import_each_other_in_a_circle():
    found = circles(import_graph())
    assert not found, "import circles: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_circle_finder_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert circles(graph) == [["a", "b", "c"]]


def test_imports_inside_functions_and_relative_ones_are_seen(tmp_path):
    source = tmp_path / "pkg" / "mod.py"
    source.parent.mkdir()
    source.write_text("def late():\n    from . import other\n    from .sub import thing\n")
    known = {"pkg.other", "pkg.sub", "pkg.mod"}
    assert imported_modules("pkg.mod", source, known) == {"pkg.other", "pkg.sub"}
