"""House rules for ``analysis/``: no SQL, no database driver, no store calls, no import cycles.

Every statement lives in ``data/`` (a module per group of tables, plain values and
DataFrames in and out); analysis calls those functions. Its modules import one another
without cycles: a module imported inside a function to dodge one counts too. Imports under
``if TYPE_CHECKING:`` are for type names only and never run, so they do not.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "analysis"

SQL = re.compile(
    r"\bSELECT\b[\s\S]*?\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
)
STORE_CALL = re.compile(
    r"\b(?:store|cur|cursor|tx|connection|con)\s*\.\s*"
    r"(?:query|rows|scalar|execute|executemany|write|cursor|register|insert_frame)\s*\("
)
# Reads still to be moved into data/, by (module, table): none left.
NOT_YET_MOVED: set[tuple[str, str]] = set()


def _modules() -> list[Path]:
    return sorted((ROOT / PACKAGE).rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _strings(path: Path) -> list[str]:
    """Every string constant of a module (adjacent literals joined, as Python joins them)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _allowed(path: Path, statement: str) -> bool:
    return any(_name(path) == name and table in statement for name, table in NOT_YET_MOVED)


def test_analysis_holds_no_sql():
    offenders = [
        f"{_name(path)}: {text.strip()[:70]!r}"
        for path in _modules()
        for text in _strings(path)
        if SQL.search(text) and not _allowed(path, text)
    ]
    assert offenders == []


def test_analysis_never_imports_a_database_driver():
    offenders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{_name(path)} imports {n}" for n in names if n.split(".")[0] == "duckdb"
            ]
    assert offenders == []


def test_analysis_calls_no_store_directly():
    offenders = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        for match in STORE_CALL.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            statement = text[match.start() : match.start() + 200]
            if not _allowed(path, statement):
                offenders.append(f"{_name(path)}:{line}: {match.group(0)}")
    assert offenders == []


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The analysis modules ``module`` imports when it runs (at the top or in a function)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                for alias in child.names:  # ``from analysis import explore`` is the module
                    submodule = f"{child.module}.{alias.name}"
                    found.add(submodule if submodule in known else child.module)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in known and m != module}


def _graph() -> dict[str, set[str]]:
    modules = {}
    for path in _modules():
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return groups


def test_analysis_modules_import_each_other_without_cycles():
    assert _cycles(_graph()) == []


def test_the_cycle_check_finds_a_cycle_through_a_function_level_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
