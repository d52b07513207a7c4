"""The house rules that a reviewer would otherwise check by hand."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ["data", "surveys", "panel", "analysis", "demo", "cli"]
ORDER = ["ui", "panel", "analysis", "surveys", "data"]  # arrows point down only
CLIENTS = ["demo", "cli"]  # beside ui: they use the domain, the domain never uses them
ENTRY_SHIMS = {f"{p}/__main__.py" for p in ("data", "surveys", "analysis", "panel")}


def _python_files(package: str):
    folder = ROOT / package
    return sorted(folder.rglob("*.py")) if folder.exists() else []


def _imports(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"^\s*(?:from|import)\s+([a-zA-Z_][\w]*)", text, flags=re.MULTILINE))


def test_domain_packages_never_import_streamlit():
    offenders = [str(p) for pkg in DOMAIN for p in _python_files(pkg) if "streamlit" in _imports(p)]
    assert offenders == []


def test_imports_only_point_down_the_layers():
    offenders = []
    for level, package in enumerate(ORDER):
        above = set(ORDER[:level]) | set(CLIENTS)
        for path in _python_files(package):
            bad = _imports(path) & above
            name = str(path.relative_to(ROOT))
            if name in ENTRY_SHIMS:
                bad -= {"cli"}  # ``python -m data`` runs the command line, nothing else
            if name == "ui/login.py":
                bad -= {"demo"}  # a demo database's sign-in lists the demo accounts
            if bad:
                offenders.append(f"{name} imports {sorted(bad)}")
    assert offenders == []


def test_the_demo_is_a_client_that_nothing_below_it_uses():
    users = [
        str(p.relative_to(ROOT))
        for package in ORDER + ["cli"]
        for p in _python_files(package)
        if "demo" in _imports(p)
    ]
    assert sorted(users) == ["cli/data_commands.py", "ui/login.py"]


def test_no_page_folder_named_pages():
    assert not (ROOT / "pages").exists()


def test_no_ui_module_over_500_lines():
    """A page that grows past this keeps its tabs or sections in a package beside it
    (ui/explore/, ui/fieldwork/, ui/panel_ops/, ui/panel_health/)."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in _python_files("ui")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


def test_every_ui_module_says_what_it_is():
    import ast

    bare = [
        str(p.relative_to(ROOT))
        for p in _python_files("ui")
        if ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None
    ]
    assert bare == []


# -- the store behind data/ -----------------------------------------------------------------
# Every package but data/ reaches the database only through the modules of data/: no SQL
# text, no duckdb import, no call of a store method.
THROUGH_DATA = ["ui", "panel", "analysis", "surveys", "demo", "cli"]
# Files of those packages that still reach the store themselves, each with the reason;
# an entry whose file no longer needs it fails below.
KNOWN_STORE_USERS: dict[str, str] = {}
SQL_TEXT = re.compile(
    r"\bSELECT\b.{0,400}?\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\b(?:CREATE|ALTER|DROP)\s+(?:TABLE|VIEW|INDEX|SEQUENCE)\b",
    flags=re.DOTALL,
)
STORE_CALL = re.compile(  # on a store, a transaction or a connection (st.write, frame.query…)
    r"\b(?:store|cur|cursor|tx|con|connection|self\.store|self\._store)\s*\.\s*"
    r"(?:query|rows|scalar|execute|executemany|write|insert_frame|cursor|register)\s*\("
)


def _offenders(package: str, offends) -> list[str]:
    found = []
    for path in _python_files(package):
        name = str(path.relative_to(ROOT))
        if name not in KNOWN_STORE_USERS and offends(path):
            found.append(name)
    return found


@pytest.mark.parametrize("package", THROUGH_DATA)
def test_no_sql_text_outside_data(package):
    assert _offenders(package, lambda p: SQL_TEXT.search(p.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("package", THROUGH_DATA)
def test_no_duckdb_import_outside_data(package):
    assert _offenders(package, lambda p: "duckdb" in _imports(p)) == []


@pytest.mark.parametrize("package", THROUGH_DATA)
def test_no_store_method_called_outside_data(package):
    """Reads and writes go through data/ functions; a transaction that domain code composes
    is run by data.transactions.in_transaction, its steps being tx-taking data functions."""
    assert _offenders(package, lambda p: STORE_CALL.search(p.read_text(encoding="utf-8"))) == []


def test_known_store_users_still_reach_the_store():
    """An entry of KNOWN_STORE_USERS whose file no longer needs it is removed."""
    stale = [
        name
        for name in KNOWN_STORE_USERS
        if (ROOT / name).exists()
        and not any(
            check(ROOT / name)
            for check in (
                lambda p: SQL_TEXT.search(p.read_text(encoding="utf-8")),
                lambda p: "duckdb" in _imports(p),
                lambda p: STORE_CALL.search(p.read_text(encoding="utf-8")),
            )
        )
    ]
    assert stale == []


# -- no circular imports ---------------------------------------------------------------------
IMPORT_GRAPH_PACKAGES = [*DOMAIN, "ui"]
# Packages whose modules still import each other in a circle, each with its owner; the
# owner removes the cycle and the entry (a package listed here with no cycle fails below).
KNOWN_CYCLES: dict[str, str] = {}


def _module_names() -> dict[str, Path]:
    modules = {}
    for package in IMPORT_GRAPH_PACKAGES:
        for path in _python_files(package):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The ids of import nodes under ``if TYPE_CHECKING:`` (never run, so no cycle)."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skipped


def import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports (at the top or inside functions)."""
    modules = _module_names()

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_only(tree)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets |= {known(alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets |= {known(f"{base}.{alias.name}") for alias in node.names}
        graph[module] = targets - {None, module}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(cycles)


def _known_cycle(cycle: list[str]) -> str | None:
    return next(
        (p for p in KNOWN_CYCLES if all(m == p or m.startswith(p + ".") for m in cycle)), None
    )


def test_no_circular_imports():
    cycles = import_cycles(import_graph())
    assert [" ↔ ".join(c) for c in cycles if _known_cycle(c) is None] == []


def test_known_cycles_still_exist():
    """A package of KNOWN_CYCLES whose cycle is gone is taken off the list."""
    found = {_known_cycle(c) for c in import_cycles(import_graph())}
    assert sorted(set(KNOWN_CYCLES) - found) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]


# -- spreadsheet files -----------------------------------------------------------------------
# Every CSV and Excel file a user can open is written through data/spreadsheet_safety.py, so a
# text that a spreadsheet would run as a formula is neutralized; a new writer cannot forget.
RAW_WRITERS = {"to_csv", "to_excel", "ExcelWriter", "Workbook"}  # and csv.writer, csv.DictWriter
# Functions that still call one directly, each with the reason (a stale entry fails too).
KNOWN_RAW_WRITERS: dict[str, str] = {
    "data/reference.py:_sha256": "hashes a table's CSV text to recognise it; nobody opens it",
    "analysis/reports/excel.py:workbook_bytes": "the report's workbook, written cell by cell"
    " through _text (neutralize_cell) with WORKBOOK_OPTIONS",
    "surveys/questionnaire/xlsform_export.py:to_xlsform": "an XLSForm must read back exactly"
    " as written: every text is a string cell, one needs_apostrophe flags is marked with"
    " Excel's quotePrefix instead of an apostrophe",
    "surveys/questionnaire/sheet_editing.py:sheets_workbook": "the grid editor's XLSForm must"
    " read back exactly as edited: every text a string cell, quotePrefix where needs_apostrophe"
    " flags it (as to_xlsform)",
}


def _raw_writer_calls(path: Path) -> set[str]:
    """``path:function`` for each call of a CSV or Excel writer in the file."""
    name = str(path.relative_to(ROOT))
    found = set()

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call):
                func = child.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called in RAW_WRITERS or ast.unparse(func) in ("csv.writer", "csv.DictWriter"):
                    found.add(f"{name}:{function}")
            visit(child, function)

    visit(ast.parse(path.read_text(encoding="utf-8")), "<module>")
    return found


def test_csv_and_excel_files_are_written_through_the_spreadsheet_safety_helper():
    found = {
        call
        for package in IMPORT_GRAPH_PACKAGES
        for path in _python_files(package)
        if path != ROOT / "data" / "spreadsheet_safety.py"
        for call in _raw_writer_calls(path)
    }
    assert sorted(found - set(KNOWN_RAW_WRITERS)) == []
    assert sorted(set(KNOWN_RAW_WRITERS) - found) == [], "a known raw writer no longer is one"
