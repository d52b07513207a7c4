"""Choice lists of a definition dict → ``surveys.questionnaire.model.ChoiceList``, with their checks.

A list is either written out (``- {code: 1, ko: "예", en: "Yes"}``) or taken
from a shipped reference code list (``{reference: sex}`` reads
``data/reference/sex.csv``), so the questionnaire and the weighting margins
use the very same codes. Codes are unique integers; ``exclusive`` ("none of
these") only means something for multiple choice.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from data.text import Text
from surveys.questionnaire.expressions import fields as rule_fields
from surveys.questionnaire.loader_labels import open_label
from surveys.questionnaire.loader_problems import Path, Problems, refuse_active_content
from surveys.questionnaire.model import Choice, ChoiceList

if TYPE_CHECKING:
    from surveys.questionnaire.loader_build import PlacedQuestion

LIST_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
CHOICE_KEYS = ("code", "ko", "en", "filter", "exclusive", "columns")
LABEL_COLUMNS = (("label_ko", "label_en"), ("name_ko", "name_en"))


def reference_code_lists() -> list[str]:
    """Reference tables usable as choice lists: a ``code`` column and Korean labels."""
    from data.reference import REFERENCE_DIR

    names = []
    for path in sorted(REFERENCE_DIR.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        if "code" in header and any(ko in header for ko, _ in LABEL_COLUMNS):
            names.append(path.stem)
    return names


class ChoiceListsBuilder:
    """Builds the ``choice_lists`` mapping and checks how questions use it."""

    def __init__(self, problems: Problems, languages: tuple[str, ...] | None = None) -> None:
        self.problems = problems
        self.languages = languages  # an XLSForm's languages; None: YAML's ko (and en)
        self.keys = (
            CHOICE_KEYS
            if languages is None
            else ("code", "filter", "exclusive", "columns", *languages)
        )
        self.paths: dict[str, Path] = {}
        self.lists: dict[str, ChoiceList] = {}

    def add(self, path: Path, concerns: str | None, ko: str, en: str) -> None:
        self.problems.add(path, concerns, ko, en)

    def build(self, value: Any, path: Path) -> dict[str, ChoiceList]:
        if value is None:
            return self.lists
        if not isinstance(value, dict):
            self.add(
                path,
                None,
                "choice_lists 는 '목록 이름: 선택지 목록' 형태여야 합니다.",
                "choice_lists must map list names to lists of choices.",
            )
            return self.lists
        for name, raw in value.items():
            list_path = (*path, name)
            self.paths[str(name)] = list_path
            if not isinstance(name, str) or not LIST_NAME.match(name):
                self.add(
                    list_path,
                    str(name),
                    f"선택지 목록 이름 '{name}' 은(는) 영문자로 시작하고 영문자·숫자·_ 만 써야 합니다.",
                    f"choice list name '{name}' must start with a letter and use only "
                    "letters, digits and _.",
                )
                continue
            built = self.one(name, raw, list_path)
            if built is not None:
                self.lists[name] = built
        return self.lists

    def one(self, name: str, value: Any, path: Path) -> ChoiceList | None:
        if isinstance(value, dict):
            return self.reference(name, value, path)
        if not isinstance(value, list) or not value:
            self.add(
                path,
                name,
                "선택지 목록은 비어 있지 않은 목록이거나 {reference: 이름} 이어야 합니다.",
                "a choice list must be a non-empty list of choices or {reference: name}.",
            )
            return None
        choices = [self.choice(name, raw, (*path, i)) for i, raw in enumerate(value)]
        seen: dict[int, list[dict]] = {}
        for index, choice in enumerate(choices):
            if choice is None:
                continue
            fields = choice.fields()
            if fields in seen.get(choice.code, []):  # the same code under the same parent
                self.add(
                    (*path, index, "code"),
                    name,
                    f"코드 {choice.code} 이(가) 이 목록에 두 번 있습니다.",
                    f"code {choice.code} appears twice in this list.",
                )
            seen.setdefault(choice.code, []).append(fields)  # again under another parent: ok
        return ChoiceList(name, tuple(c for c in choices if c is not None))

    def choice(self, list_name: str, value: Any, path: Path) -> Choice | None:
        if not isinstance(value, dict):
            self.add(
                path,
                list_name,
                '선택지는 {code: 1, ko: "...", en: "..."} 형태여야 합니다.',
                'a choice must look like {code: 1, ko: "...", en: "..."}.',
            )
            return None
        for key in value:
            if key not in self.keys:
                close = difflib.get_close_matches(str(key), self.keys, n=1)
                hint = f" ('{close[0]}'?)" if close else ""
                self.add(
                    (*path, key),
                    list_name,
                    f"선택지에 알 수 없는 키 '{key}' 가 있습니다{hint}. 쓸 수 있는 키: "
                    f"{', '.join(self.keys)}",
                    f"unknown key '{key}' in a choice{hint}. Allowed keys: {', '.join(self.keys)}",
                )
        code = value.get("code")
        if isinstance(code, bool) or not isinstance(code, int):
            self.add(
                (*path, "code") if "code" in value else path,
                list_name,
                f"선택지 코드는 정수여야 합니다 (지금은 {code!r}).",
                f"a choice code must be a whole number (found {code!r}).",
            )
        label = self.label(list_name, value, path)
        filter_value = value.get("filter")
        if filter_value is not None and (
            isinstance(filter_value, bool) or not isinstance(filter_value, (str, int))
        ):
            self.add(
                (*path, "filter"),
                list_name,
                f"filter 는 글자나 정수여야 합니다 (지금은 {filter_value!r}).",
                f"filter must be text or a whole number (found {filter_value!r}).",
            )
            filter_value = None
        exclusive = value.get("exclusive", False)
        if not isinstance(exclusive, bool):
            self.add(
                (*path, "exclusive"),
                list_name,
                f"exclusive 는 true 또는 false 여야 합니다 (지금은 {exclusive!r}).",
                f"exclusive must be true or false (found {exclusive!r}).",
            )
            exclusive = False
        columns = self.columns(list_name, value.get("columns"), path)
        if isinstance(code, bool) or not isinstance(code, int) or label is None:  # added above
            return None
        text_filter = None if filter_value is None else str(filter_value)
        return Choice(code, label, text_filter, exclusive, columns)

    def columns(self, list_name: str, value: Any, path: Path) -> tuple[tuple[str, str | None], ...]:
        """Named filter columns ``{column: value or None}`` (an XLSForm list filtered on
        several columns of its sheet)."""
        if value is None:
            return ()
        if isinstance(value, dict) and all(
            isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items()
        ):
            return tuple(value.items())
        self.add(
            (*path, "columns"),
            list_name,
            f"columns 는 '열 이름: 값' 형태여야 합니다 (지금은 {value!r}).",
            f"columns must map column names to values (found {value!r}).",
        )
        return ()

    def label(self, list_name: str, value: dict, path: Path) -> Text | None:
        if self.languages is not None:
            what = f"choice (code {value.get('code')!r}) label"
            return open_label(self.add, value, path, list_name, what, self.languages)
        texts: dict[str, str] = {}
        for lang in ("ko", "en"):
            text = value.get(lang)
            if text is None:
                continue
            if not isinstance(text, str):
                self.add(
                    (*path, lang),
                    list_name,
                    f"선택지 {lang} 문구는 글자여야 합니다 (지금은 {text!r}; 따옴표로 감싸세요).",
                    f"the choice's {lang} label must be text (found {text!r}; quote it).",
                )
                continue
            refuse_active_content(self.add, (*path, lang), list_name, f"label.{lang}", text)
            texts[lang] = text.strip()
        if not texts.get("ko"):
            self.add(
                path,
                list_name,
                f"선택지 (코드 {value.get('code')!r}) 에 한국어(ko) 문구가 없습니다.",
                f"choice (code {value.get('code')!r}) has no Korean (ko) label.",
            )
            return None
        return Text(texts["ko"], texts.get("en", ""))

    def reference(self, name: str, value: dict, path: Path) -> ChoiceList | None:
        table = value.get("reference")
        extra = [k for k in value if k != "reference"]
        if extra or not isinstance(table, str):
            self.add(
                path,
                name,
                "참조 선택지 목록은 {reference: 참조표이름} 형태여야 합니다.",
                "a reference choice list must be written {reference: table_name}.",
            )
            return None
        available = reference_code_lists()
        if table not in available:
            self.add(
                (*path, "reference"),
                name,
                f"data/reference 에 코드 목록 '{table}' 이(가) 없습니다. 있는 목록: "
                f"{', '.join(available)}",
                f"there is no code list '{table}' in data/reference. Available: "
                f"{', '.join(available)}",
            )
            return None
        return self.reference_list(name, table, path)

    def reference_list(self, name: str, table: str, path: Path) -> ChoiceList | None:
        from data.reference import shipped_csv

        frame = shipped_csv(table)
        ko, en = next((k, e) for k, e in LABEL_COLUMNS if k in frame.columns)
        choices = []
        for row in frame.to_dict("records"):
            try:
                code = int(str(row["code"]).strip())
            except ValueError:
                self.add(
                    (*path, "reference"),
                    name,
                    f"참조표 {table} 의 코드 '{row['code']}' 은(는) 정수가 아니라 선택지로 쓸 수 "
                    "없습니다.",
                    f"code '{row['code']}' of reference table {table} is not a whole number, so "
                    "it cannot be a choice.",
                )
                return None
            choices.append(Choice(code, Text(str(row[ko]), str(row.get(en, "") or ""))))
        return ChoiceList(name, tuple(choices))

    # -- how questions use the lists -----------------------------------------------------
    def check_usage(self, questions: Iterable[PlacedQuestion]) -> None:
        used_by: dict[str, set[str]] = {}
        for placed in questions:
            question = placed.question
            if question.choices is None:
                continue
            used_by.setdefault(question.choices, set()).add(question.type)
            self.check_question(placed)
        for name, choice_list in self.lists.items():
            if any(c.exclusive for c in choice_list.choices) and name not in used_by:
                self.add(
                    self.paths[name],
                    name,
                    "exclusive 선택지는 복수 응답(multiple) 질문이 쓰는 목록에만 둘 수 있습니다.",
                    "exclusive choices only mean something in a list used by a multiple "
                    "choice question.",
                )

    def check_question(self, placed: PlacedQuestion) -> None:
        question = placed.question
        name = question.choices or ""
        if name not in self.paths:
            close = difflib.get_close_matches(name, list(self.paths), n=1)
            hint_ko = f" '{close[0]}' 을(를) 뜻했나요?" if close else ""
            hint_en = f" Did you mean '{close[0]}'?" if close else ""
            self.add(
                (*placed.path, "choices"),
                question.name,
                f"선택지 목록 '{name}' 이(가) choice_lists 에 없습니다.{hint_ko}",
                f"choice list '{name}' is not in choice_lists.{hint_en}",
            )
            return
        choice_list = self.lists.get(name)
        if choice_list is None:
            return
        if question.type == "single" and any(c.exclusive for c in choice_list.choices):
            self.add(
                (*placed.path, "choices"),
                question.name,
                f"단일 응답 질문이 exclusive 선택지가 있는 목록 '{name}' 을(를) 씁니다 "
                "(exclusive 는 복수 응답에만 씁니다).",
                f"a single choice question uses list '{name}', which has exclusive choices "
                "(exclusive is for multiple choice only).",
            )
        reads_filter = question.choice_filter is not None and "filter" in rule_fields(
            question.choice_filter.node
        )
        if reads_filter and all(c.filter_value is None for c in choice_list.choices):
            self.add(
                (*placed.path, "choice_filter"),
                question.name,
                f"choice_filter 가 있지만 목록 '{name}' 의 선택지에 filter 값이 없습니다.",
                f"choice_filter is set but no choice in list '{name}' has a filter value.",
            )
