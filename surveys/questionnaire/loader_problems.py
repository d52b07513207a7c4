"""Problems found in a questionnaire definition, and how they are collected.

A statistician fixing a questionnaire wants *every* problem at once, each with
where it is (a YAML line or a workbook row), which question it concerns, and
what is wrong in Korean and English. Loading never stops at the first problem:
the checks append ``Problem`` values to a ``Problems`` collector and
``QuestionnaireError`` carries them all.

Places are given as *paths* into the definition's dict shape, e.g.
``("household", "sections", 0, "questions", 3, "relevant")``. A ``lines`` map
(path → location text such as ``"line 42"`` or ``"survey row 17"``) turns a
path into a location; the nearest recorded ancestor is used when a path itself
was not recorded (a missing key is reported at its parent).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import InitVar, dataclass, field

from data.text import Text
from surveys.questionnaire.label_markup import ALLOWED_TAGS, active_content

Path = tuple[object, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a questionnaire definition."""

    file: str
    location: str  # "line 42", "survey row 17", "choices row 5", "settings"
    question: str | None  # the question, section or choice list it concerns
    text: Text  # what is wrong (older callers give it as two strings: Korean, then English)
    en: InitVar[str | None] = None

    def __post_init__(self, en: str | None) -> None:
        if isinstance(self.text, str):  # Problem(file, location, question, "한국어", "English")
            object.__setattr__(self, "text", Text(self.text, en or ""))

    @property
    def message_ko(self) -> str:  # compatibility alias of text.ko, read by older tests
        return self.text.ko

    @property
    def message_en(self) -> str:  # compatibility alias of text.en, read by older tests
        return self.text.en

    def __str__(self) -> str:
        concerns = f"[{self.question}] " if self.question else ""
        return f"{self.file}:{self.location}: {concerns}{self.text}"


class QuestionnaireError(ValueError):
    """A questionnaire could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n… {count - 20} more" if count > 20 else ""
        super().__init__(f"{count} problem(s) in the questionnaire:\n{shown}{more}")


@dataclass
class Problems:
    """Collects problems for one file, locating paths through ``lines``."""

    file: str
    lines: Mapping[Path, str] = field(default_factory=dict)
    default_location: str = "line 1"
    found: list[Problem] = field(default_factory=list)

    def locate(self, path: Path) -> str:
        for end in range(len(path), -1, -1):
            location = self.lines.get(tuple(path[:end]))
            if location is not None:
                return location
        return self.default_location

    def add(self, path: Path, question: str | None, ko: str, en: str) -> None:
        """A problem at ``path``, said in Korean and English."""
        self.found.append(Problem(self.file, self.locate(path), question, Text(ko, en)))

    def add_at(self, location: str, question: str | None, ko: str, en: str) -> None:
        self.found.append(Problem(self.file, location, question, Text(ko, en)))

    def __len__(self) -> int:
        return len(self.found)


def refuse_active_content(
    add: Callable[[Path, str | None, str, str], None],
    path: Path,
    concerns: str | None,
    what: str,
    text: str,
) -> None:
    """A problem for each thing in ``text`` that could run in a respondent's browser."""
    for found in active_content(text):
        add(
            path,
            concerns,
            f"{what} 에 실행될 수 있는 내용 {found} 이(가) 있습니다. 문구에는 글자와 서식 태그"
            f" ({', '.join(sorted(ALLOWED_TAGS))})만 쓸 수 있습니다; 지우고 다시 올리세요.",
            f"{what} contains {found}, which could run in the respondent's browser. Labels may"
            f" hold text and the formatting tags {', '.join(sorted(ALLOWED_TAGS))} only; remove it"
            " and upload again.",
        )
