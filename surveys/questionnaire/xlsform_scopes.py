"""One name in two XLSForm groups: the model's name is qualified by the later one's group.

Why a module of its own: pyxform asks a question's name to be unique only among its group's
(or repeat's) children, and XPath tells ``/data/wheat/price`` from ``/data/maize/price``; the
model stores a household's answers in one dict keyed by name, so two such questions would
overwrite each other. As ``begin loop`` is expanded (``surveys.questionnaire.xlsform_loops``),
the later question is given the name ``<group>_<name>`` after its nearest group (every
enclosing group's name when that is taken too); the export writes that name, which reads back
as the same questionnaire. Names stored in different places — a household question and a
repeat's question of one name — are left alone (``Builder.unique_name`` allows them). A
``${name}`` given to several questions is ambiguous, as in pyxform, and refused with its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from surveys.questionnaire.xlsform_types import model_name

_REFERENCE = re.compile(r"\$\{\s*([^}]*?)\s*\}")


@dataclass
class ScopedNames:
    """The names met so far in each storage place, with the groups each was met in."""

    groups_of: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    shared: dict[str, int] = field(default_factory=dict)  # a name several questions had -> row

    def name(self, name: str, storage: str, groups: tuple[str, ...], row: int) -> str:
        """The model's name for the question ``name`` met in ``groups`` (outermost first) of
        ``storage`` (``household``, ``roster`` or ``person``)."""
        first = self.groups_of.get((storage, name))
        if first is None or first == groups or not groups:
            self.groups_of.setdefault((storage, name), groups)
            return name  # new, or a sibling's name: the loader says it is used twice
        self.shared.setdefault(name, row)
        for qualified in (f"{groups[-1]}_{name}", "_".join((*groups, name))):
            if (storage, qualified) not in self.groups_of:
                self.groups_of[(storage, qualified)] = groups
                return qualified
        return name

    def ambiguous(self, text: str) -> list[str]:
        """The names in ``${…}`` references of ``text`` that several questions had."""
        found = {model_name(m.group(1)) for m in _REFERENCE.finditer(text)}
        return sorted(found & set(self.shared))
