"""The house rules that a reviewer would otherwise check by hand."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ["data", "surveys", "panel", "analysis"]
ORDER = ["ui", "panel", "analysis", "surveys", "data"]  # arrows point down only


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
        above = set(ORDER[:level])
        for path in _python_files(package):
            bad = _imports(path) & above
            if bad:
                offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert offenders == []


def test_pages_hold_no_sql():
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b\s+.*\b(FROM|INTO|SET)\b")
    offenders = [str(p) for p in _python_files("ui") if sql.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_no_page_folder_named_pages():
    assert not (ROOT / "pages").exists()
