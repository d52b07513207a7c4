"""A KoBo-style household form: a repeat with no repeat_count, counted with count(${member}).

ODK Collect lets a person add repeats until there are no more; this platform draws the roster
from its size, so such a repeat is preceded by one generated question (``member_count``,
"How many 'Household member' are there?") and ``count(${member})`` later in the form reads the
members listed — on the screens and in validation alike.
"""

from __future__ import annotations

from pathlib import Path

from surveys.answer_frames import check_household
from surveys.questionnaire.flow import shown_questions
from surveys.questionnaire.xlsform import load_xlsform
from tests.surveys.test_xlsform import write_workbook

SURVEY = [
    ("type", "name", "label", "relevant", "constraint", "calculation"),
    ("text", "village", "Village", None, None, None),
    ("begin_repeat", "member", "Household member", None, None, None),
    ("text", "member_name", "Name", None, None, None),
    ("integer", "member_age", "Age", None, ". >= 0", None),
    ("end_repeat", None, None, None, None, None),
    ("calculate", "listed", None, None, None, "count(${member})"),
    (
        "integer",
        "children",
        "How many are under 5?",
        "count(${member}) > 1",
        ". <= count(${member})",
        None,
    ),
    ("decimal", "mean_age", "Mean age (check)", "sum(${member_age}) > 0", None, None),
]


def _form(tmp_path: Path):
    return load_xlsform(
        write_workbook(tmp_path / "household.xlsx", SURVEY, [("list_name", "name", "label")])
    )


def _answers(ages: list[int], **more):
    members = [{"member_name": f"m{i}", "member_age": age} for i, age in enumerate(ages)]
    return {"village": "Hope", "member_count": len(ages), "member": members, **more}


def test_a_repeat_without_repeat_count_is_asked_for_first(tmp_path):
    q = _form(tmp_path)
    ids = [s.id for s in q.household.sections]
    assert ids.index("member_how_many") == ids.index("member") - 1
    roster = q.household.roster_section()
    assert roster is not None and roster.repeat_count.source == "${member_count}"
    assert q.question("member_count").required and q.question("member_count").max == 30
    assert q.metadata["generated_counts"] == {"member": "member_count"}


def test_count_of_the_repeat_reads_the_members_listed(tmp_path):
    q = _form(tmp_path)
    section = next(
        s for s in q.household.sections if any(x.name == "children" for x in s.questions)
    )
    assert "children" in [x.name for x in shown_questions(section, _answers([40, 3]))]
    assert "children" not in [x.name for x in shown_questions(section, _answers([40]))]
    too_many = check_household(q, _answers([40, 3], children=3)).household.get("children")
    assert too_many, "three children under 5 in a household of two must be refused"
    assert not check_household(q, _answers([40, 3], children=1)).household.get("children")
