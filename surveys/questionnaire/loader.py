"""Load questionnaire definitions (YAML or XLSForm) into ``surveys.questionnaire.model``, reporting every problem.

Why: statisticians write questionnaires as YAML files in ``surveys/definitions``
(shape: ``surveys/definitions/README.md``) or bring XLSForm workbooks made for
ODK/KoBoToolbox. A questionnaire with a mistake must never reach respondents,
and whoever fixes it needs the whole list at once — each problem with its line
(or workbook row), the question it concerns, and a Korean and English message.

``load_questionnaire`` returns a ``Questionnaire`` or raises
``QuestionnaireError`` with every problem; ``check_questionnaire`` returns the
problems (``[]`` when clean). ``python -m surveys check FILE`` prints them.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from data.text import InvalidRequest, Refusal, Text
from surveys.questionnaire.loader_problems import Path as KeyPath
from surveys.questionnaire.loader_problems import Problem, Problems, QuestionnaireError
from surveys.questionnaire.loader_shape import (
    build_questionnaire,
    questionnaire_from_dict,
    sort_problems,
)
from surveys.questionnaire.model import Questionnaire

__all__ = [
    "DEFINITIONS_DIR",
    "Problem",
    "QuestionnaireError",
    "check_questionnaire",
    "list_definitions",
    "load_definition",
    "load_questionnaire",
    "questionnaire_from_dict",
]

DEFINITIONS_DIR = Path(__file__).resolve().parents[1] / "definitions"
YAML_SUFFIXES = (".yaml", ".yml")
XLSFORM_SUFFIXES = (".xlsx", ".xls")


class QuestionnaireFileMissing(Refusal, FileNotFoundError):
    """No file at the questionnaire path given (``reason`` ``"no_file"``)."""


class UnknownQuestionnaire(Refusal, KeyError):
    """No shipped definition has the questionnaire id asked for (``reason`` ``"no_definition"``)."""


# -- YAML with line numbers -------------------------------------------------------------
class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that remembers the line of every mapping key and list item.

    It also notices duplicate keys, which PyYAML otherwise resolves silently
    by keeping the last one.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.key_lines: dict[int, dict[Any, int]] = {}
        self.item_lines: dict[int, list[int]] = {}
        self.node_lines: dict[int, int] = {}
        self.duplicates: list[tuple[int, Any]] = []

    def construct_line_map(self, node: yaml.MappingNode):
        data: dict = {}
        yield data
        written = list(node.value)  # before merge keys (<<: *anchor) are flattened in
        data.update(self.construct_mapping(node))
        self.node_lines[id(data)] = node.start_mark.line + 1
        lines: dict[Any, int] = {}
        for key_node, _ in written:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node)
            if key in lines:
                self.duplicates.append((key_node.start_mark.line + 1, key))
            lines.setdefault(key, key_node.start_mark.line + 1)
        self.key_lines[id(data)] = lines

    def construct_line_seq(self, node: yaml.SequenceNode):
        data: list = []
        yield data
        data.extend(self.construct_sequence(node))
        self.node_lines[id(data)] = node.start_mark.line + 1
        self.item_lines[id(data)] = [item.start_mark.line + 1 for item in node.value]


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_line_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_line_seq)


def read_yaml(text: str, problems: Problems) -> tuple[Any, dict[KeyPath, str]]:
    """The document and a map from key paths to "line N"; YAML errors go to ``problems``."""
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        location = f"line {mark.line + 1}" if mark is not None else "line 1"
        detail = str(getattr(error, "problem", None) or error)
        problems.add_at(
            location,
            None,
            f"YAML 문법 오류입니다: {detail} (들여쓰기와 따옴표를 확인하세요).",
            f"YAML syntax error: {detail} (check indentation and quotes).",
        )
        return None, {}
    finally:
        loader.dispose()
    lines: dict[KeyPath, str] = {}
    _record_lines(data, (), loader, lines, set())
    for line, key in loader.duplicates:
        problems.add_at(
            f"line {line}",
            None,
            f"키 '{key}' 가 같은 곳에 두 번 있습니다 (뒤의 값만 쓰이게 됩니다).",
            f"key '{key}' appears twice in the same mapping (only the last would be used).",
        )
    return data, lines


def _record_lines(
    value: Any, path: KeyPath, loader: _LineLoader, lines: dict[KeyPath, str], seen: set[int]
) -> None:
    if id(value) in seen or not isinstance(value, (dict, list)):
        return
    seen.add(id(value))
    if id(value) in loader.node_lines and path not in lines:
        lines[path] = f"line {loader.node_lines[id(value)]}"
    if isinstance(value, dict):
        key_lines = loader.key_lines.get(id(value), {})
        for key, item in value.items():
            if key in key_lines:
                lines[(*path, key)] = f"line {key_lines[key]}"
            _record_lines(item, (*path, key), loader, lines, seen)
    else:
        item_lines = loader.item_lines.get(id(value), [])
        for index, item in enumerate(value):
            if index < len(item_lines):
                lines[(*path, index)] = f"line {item_lines[index]}"
            _record_lines(item, (*path, index), loader, lines, seen)


# -- files ----------------------------------------------------------------------------------
def _load_yaml_file(path: Path) -> tuple[Questionnaire | None, list[Problem]]:
    return _load_yaml_bytes(path.read_bytes(), str(path))


def _load_yaml_bytes(raw: bytes, name: str) -> tuple[Questionnaire | None, list[Problem]]:
    path = name
    problems = Problems(str(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add_at(
            "line 1",
            None,
            "파일을 UTF-8 로 읽을 수 없습니다. UTF-8 로 저장하세요.",
            "the file is not UTF-8; save it as UTF-8.",
        )
        return None, problems.found
    data, lines = read_yaml(text, problems)
    if problems.found:
        if data is not None:  # report shape problems too, not only the YAML ones
            build_questionnaire(data, Problems(str(path), lines, found=problems.found))
        return None, sort_problems(problems.found)
    problems.lines = lines
    questionnaire = build_questionnaire(data, problems)
    if questionnaire is None:
        return None, sort_problems(problems.found)
    digest = hashlib.sha256(raw).hexdigest()
    return replace(questionnaire, source_hash=digest), []


def _load_file(path: str | Path) -> tuple[Questionnaire | None, list[Problem]]:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise QuestionnaireFileMissing(
            "no_file", Text(f"설문 파일이 없습니다: {path}", f"no such questionnaire file: {path}")
        )
    if suffix in YAML_SUFFIXES:
        questionnaire, problems = _load_yaml_file(path)
    elif suffix in XLSFORM_SUFFIXES:
        from surveys.questionnaire.xlsform import read_xlsform

        questionnaire, problems = read_xlsform(path)
    else:
        raise InvalidRequest(
            "not_a_questionnaire_file",
            Text(
                f"설문 파일은 .yaml/.yml 또는 .xlsx 여야 합니다: {path}",
                f"a questionnaire file must be .yaml/.yml or .xlsx: {path}",
            ),
        )
    if questionnaire is not None and path.resolve().parent == DEFINITIONS_DIR.resolve():
        problems = _duplicate_id_problems(path, questionnaire.id)
        questionnaire = None if problems else questionnaire
    return questionnaire, problems


def load_questionnaire(path: str | Path) -> Questionnaire:
    """The questionnaire in a YAML or XLSForm file; raises QuestionnaireError with every problem.

    Raises FileNotFoundError when there is no such file and ValueError for an
    unknown file type.
    """
    questionnaire, problems = _load_file(path)
    if questionnaire is None:
        raise QuestionnaireError(problems)
    return questionnaire


def questionnaire_from_bytes(content: bytes, file_name: str) -> Questionnaire:
    """A questionnaire from a stored file's bytes (YAML directly; a workbook via a temporary file).

    ``source_hash`` is the SHA-256 of ``content``, as when the file was first loaded.
    """
    suffix = Path(file_name).suffix.lower()
    if suffix in YAML_SUFFIXES:
        questionnaire, problems = _load_yaml_bytes(content, file_name)
    elif suffix in XLSFORM_SUFFIXES:
        import tempfile

        from surveys.questionnaire.xlsform import read_xlsform

        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / Path(file_name).name
            target.write_bytes(content)
            questionnaire, problems = read_xlsform(target)
    else:
        raise ValueError(f"a questionnaire file must be .yaml/.yml or .xlsx: {file_name}")
    if questionnaire is None:
        raise QuestionnaireError(problems)
    return questionnaire


def check_questionnaire(path: str | Path) -> list[Problem]:
    """Every problem of a questionnaire file, ``[]`` when it is clean."""
    return _load_file(path)[1]


def read_questionnaire(path: str | Path) -> tuple[Questionnaire | None, list[Problem]]:
    """``(questionnaire, [])`` for a clean file, ``(None, every problem)`` otherwise."""
    return _load_file(path)


# -- the shipped definitions ------------------------------------------------------------------
def list_definitions(directory: Path | None = None) -> list[Path]:
    """The questionnaire files in ``surveys/definitions`` (YAML and XLSForm), sorted."""
    folder = directory or DEFINITIONS_DIR
    suffixes = YAML_SUFFIXES + XLSFORM_SUFFIXES
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in suffixes and not p.name.startswith(".")
    )


def _declared_id(path: Path) -> str | None:
    """The ``id`` a definition file declares, read cheaply (None when unreadable)."""
    if path.suffix.lower() in YAML_SUFFIXES:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except (yaml.YAMLError, UnicodeDecodeError):
            return None
        return data.get("id") if isinstance(data, dict) else None
    from surveys.questionnaire.xlsform import declared_form_id

    return declared_form_id(path)


def _duplicate_id_problems(path: Path, questionnaire_id: str) -> list[Problem]:
    others = [
        p.name
        for p in list_definitions(path.parent)
        if p.resolve() != path.resolve() and _declared_id(p) == questionnaire_id
    ]
    if not others:
        return []
    return [
        Problem(
            str(path),
            "line 1" if path.suffix.lower() in YAML_SUFFIXES else "settings",
            None,
            Text(
                f"id '{questionnaire_id}' 을(를) 다른 정의 파일도 씁니다: {', '.join(others)}",
                f"id '{questionnaire_id}' is also used by: {', '.join(others)}",
            ),
        )
    ]


def load_definition(questionnaire_id: str) -> Questionnaire:
    """The definition in ``surveys/definitions`` whose ``id`` is ``questionnaire_id``.

    Raises KeyError when no file declares that id.
    """
    for path in list_definitions():
        if _declared_id(path) == questionnaire_id:
            return load_questionnaire(path)
    known = [i for i in map(_declared_id, list_definitions()) if i]
    raise UnknownQuestionnaire(
        "no_definition",
        Text(
            f"설문 정의 '{questionnaire_id}' 이(가) 없습니다 (있는 것: {', '.join(known) or '없음'})",
            "no questionnaire definition "
            f"'{questionnaire_id}' (known: {', '.join(known) or 'none'})",
        ),
    )
