"""The house rules that a reviewer would otherwise check by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ["data", "surveys", "panel", "analysis", "demo", "cli"]
ORDER = ["ui", "panel", "analysis", "surveys", "data"]  # arrows point down only
CLIENTS = ["demo", "cli"]  # beside ui: they use the domain, the domain never uses them
ENTRY_SHIMS = {f"{p}/__main__.py" for p in ("data", "surveys", "analysis", "panel")}
NO_SQL = ["ui", "panel"]  # SQL and duckdb live in data/ (more packages as they move theirs)


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


@pytest.mark.parametrize("package", NO_SQL)
def test_pages_hold_no_sql(package):
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b\s+.*\b(FROM|INTO|SET)\b")
    offenders = [
        str(p) for p in _python_files(package) if sql.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("package", NO_SQL)
def test_no_duckdb_import_outside_data(package):
    offenders = [str(p) for p in _python_files(package) if "duckdb" in _imports(p)]
    assert offenders == []


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
