"""The dict shape of a definition → a checked ``Questionnaire``, shared by both file formats.

Why a module of its own: the YAML loader (:mod:`surveys.questionnaire.loader`) and the
XLSForm import (:mod:`surveys.questionnaire.xlsform`) both turn their file into the dict
shape of ``surveys/definitions/README.md`` and hand it here. With this step in the loader,
the loader (which opens workbooks through the XLSForm import) and the XLSForm import
(which builds through the loader) imported each other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from surveys.questionnaire.loader_build import YAML, Builder, Dialect
from surveys.questionnaire.loader_checks import check_built
from surveys.questionnaire.loader_problems import Path as KeyPath
from surveys.questionnaire.loader_problems import Problem, Problems, QuestionnaireError
from surveys.questionnaire.model import Questionnaire


def build_questionnaire(
    data: Any, problems: Problems, dialect: Dialect = YAML
) -> Questionnaire | None:
    """The questionnaire when ``data`` has no problems; every problem goes to ``problems``."""
    builder = Builder(problems, dialect)
    built = builder.build(data)
    check_built(built, problems)
    if problems.found:
        return None
    return built.questionnaire


def questionnaire_from_dict(
    data: dict, *, file: str = "<dict>", lines: Mapping[KeyPath, str] | None = None
) -> Questionnaire:
    """A questionnaire from the dict shape of the README; raises QuestionnaireError.

    ``lines`` maps key paths such as ``("household", "sections", 0)`` to a
    location text ("line 12", "survey row 7") used in problems.
    """
    problems = Problems(file, lines or {})
    questionnaire = build_questionnaire(data, problems)
    if questionnaire is None:
        raise QuestionnaireError(sort_problems(problems.found))
    return questionnaire


_PLACE_ORDER = {"workbook": 0, "line": 1, "settings": 1, "survey": 2, "choices": 3}


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """In file order: settings, then by line or row (stable within one place)."""

    def key(problem: Problem) -> tuple[int, str, int]:
        match = re.fullmatch(r"(.*?)\s*(\d+)", problem.location)
        place, number = (match.group(1), int(match.group(2))) if match else (problem.location, 0)
        return (_PLACE_ORDER.get(place.split()[0] if place else "", 9), place, number)

    return sorted(problems, key=key)
