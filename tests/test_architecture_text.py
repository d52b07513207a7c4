"""One bilingual text type (data/text.py): no message_ko/message_en, no "ko / en" errors.

A message is a ``data.text.Text`` and a refused operation raises a ``data.text.Refusal``
(a reason code and a Text); the page picks the language (``ui.i18n.say``). These checks
keep the older conventions from coming back: fields, attributes, parameters or keywords
named ``message_ko``/``message_en`` (but for the read-only aliases older tests read), and
exceptions whose message joins Korean and English with " / ".
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ["data", "surveys", "panel", "analysis", "demo", "cli"]
PACKAGES = [*DOMAIN, "ui"]
OLD_NAMES = {"message_ko", "message_en"}
# Read-only properties kept because tests read them (file, class): each returns text.ko/en.
ALIASES = {
    ("data/validation.py", "Reason"),
    ("surveys/questionnaire/loader_problems.py", "Problem"),
    ("analysis/disclosure/pseudonyms.py", "KeyFileError"),
}
HANGUL = "\uac00-\ud7a3"
KO_SLASH_EN = re.compile(
    rf"[{HANGUL}][^/\n]*? / [^/\n]*?[A-Za-z]|[A-Za-z][^/\n]*? / [^/\n]*?[{HANGUL}]"
)


def _files(packages: list[str]) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def old_message_names(tree: ast.Module, name: str) -> list[str]:
    """Where ``message_ko``/``message_en`` is defined or passed, outside the aliases."""
    found = []
    for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
        for item in cls.body:
            if isinstance(item, ast.AnnAssign) and getattr(item.target, "id", None) in OLD_NAMES:
                found.append(f"{name}:{item.lineno} field of {cls.name}")
            if isinstance(item, ast.FunctionDef) and item.name in OLD_NAMES:
                if (name, cls.name) not in ALIASES:
                    found.append(f"{name}:{item.lineno} {cls.name}.{item.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in OLD_NAMES:
            if isinstance(node.ctx, ast.Store):
                found.append(f"{name}:{node.lineno} sets .{node.attr}")
        elif isinstance(node, ast.arg) and node.arg in OLD_NAMES:
            found.append(f"{name}:{node.lineno} parameter {node.arg}")
        elif isinstance(node, ast.keyword) and node.arg in OLD_NAMES:
            found.append(f"{name}:{node.lineno} keyword {node.arg}=")
    return found


def _text_of(node: ast.AST) -> str:
    """The literal text of the strings in ``node`` (f-string fields as {})."""
    parts = []
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            parts.append(n.value)
    return "{}".join(parts)


def _joins_languages(node: ast.JoinedStr) -> bool:
    """f"{…ko} / {…en}": two fields, Korean then English, around " / "."""
    values = node.values
    for i in range(len(values) - 2):
        a, sep, b = values[i : i + 3]
        if (
            isinstance(a, ast.FormattedValue)
            and isinstance(sep, ast.Constant)
            and sep.value == " / "
            and isinstance(b, ast.FormattedValue)
            and "ko" in ast.unparse(a.value)
            and "en" in ast.unparse(b.value)
        ):
            return True
    return False


def bilingual_joins(tree: ast.Module, name: str) -> list[str]:
    """Raised messages that join Korean and English with " / " (or f"{ko} / {en}")."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            texts = [_text_of(n) for n in ast.walk(node.exc) if isinstance(n, ast.JoinedStr)]
            texts += [
                n.value
                for n in ast.walk(node.exc)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            if any(KO_SLASH_EN.search(t) for t in texts):  # implicit concatenation is one node
                found.append(f"{name}:{node.lineno} raises a 'ko / en' message")
        if isinstance(node, ast.JoinedStr) and _joins_languages(node):
            found.append(f"{name}:{node.lineno} joins ko and en with ' / '")
    return found


def test_no_message_ko_or_message_en_outside_the_aliases():
    found = []
    for path in _files(PACKAGES):
        found += old_message_names(ast.parse(path.read_text(encoding="utf-8")), _name(path))
    assert found == []


def test_the_aliases_still_exist():
    """An entry of ALIASES whose class no longer has the alias is taken off the list."""
    stale = []
    for file, cls in sorted(ALIASES):
        tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
        classes = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == cls]
        names = {i.name for c in classes for i in c.body if isinstance(i, ast.FunctionDef)}
        if not OLD_NAMES <= names:
            stale.append(f"{file}:{cls}")
    assert stale == []


def test_no_error_joins_korean_and_english_in_the_domain_packages():
    """Raise a Refusal (reason code + Text); ``Text.__str__`` alone joins them, for logs."""
    found = []
    for path in _files(DOMAIN):
        if _name(path) == "data/text.py":
            continue
        found += bilingual_joins(ast.parse(path.read_text(encoding="utf-8")), _name(path))
    assert found == []


def test_the_checks_find_the_old_conventions():
    old = """
class Failed(ValueError):
    def __init__(self, message_ko, message_en):
        self.message_ko = message_ko
        super().__init__(f"{message_ko} / {message_en}")

def refuse(n):
    raise ValueError(f"가구 {n} 가 없습니다 / "
                     f"no household {n}")

reason = make_reason(code, message_ko="가", message_en="a")
"""
    tree = ast.parse(old)
    assert len(old_message_names(tree, "x.py")) == 5  # two parameters, one attribute, two keywords
    assert sorted(f.split(" ", 1)[1] for f in bilingual_joins(tree, "x.py")) == [
        "joins ko and en with ' / '",
        "raises a 'ko / en' message",
    ]
