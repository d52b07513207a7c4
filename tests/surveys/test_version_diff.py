"""The difference between two questionnaire versions, in words, question by question."""

from __future__ import annotations

from pathlib import Path

import yaml

from surveys.questionnaire.loader import questionnaire_from_dict
from surveys.questionnaire.version_diff import compare

SMALL = Path(__file__).resolve().parent / "fixtures" / "small_survey.yaml"


def _base() -> dict:
    return yaml.safe_load(SMALL.read_text(encoding="utf-8"))


def _questions(data: dict) -> list[dict]:
    return [
        q
        for part in ("household", "person")
        for s in data.get(part, {}).get("sections", [])
        for q in s["questions"]
    ]


def _load(data: dict):
    return questionnaire_from_dict(data)


def test_the_same_questionnaire_has_no_changes():
    assert compare(_load(_base()), _load(_base())) == []


def test_each_kind_of_change_is_said_in_korean_and_english():
    old = _base()
    new = _base()
    questions = _questions(new)
    number = next(q for q in questions if q["type"] in ("integer", "scale"))
    choice = next(q for q in questions if q["type"] in ("single", "multiple"))
    number["label"] = {"ko": "새 문구", "en": "New wording"}
    number["min"] = 1 if number.get("min") != 1 else 2
    number["required"] = not number.get("required", False)
    number["relevant"] = "1 = 1"
    number["constraint"] = ". < 100"
    list_name = choice["choices"]
    extra = {"code": 98, "ko": "모름", "en": "Don't know"}
    new["choice_lists"][list_name] = [*new["choice_lists"][list_name], extra]
    section = new["household"]["sections"][0]
    section["questions"].append(
        {"name": "brand_new", "type": "text", "label": {"ko": "새 문항", "en": "A new question"}}
    )
    changes = compare(_load(old), _load(new))
    kinds = {(c.kind, c.question) for c in changes}
    name = number["name"]
    for kind in ("relabelled", "range", "required", "relevance", "constraint"):
        assert (kind, name) in kinds, kind
    assert ("choices", choice["name"]) in kinds
    assert ("added", "brand_new") in kinds
    assert ("removed", "brand_new") in {
        (c.kind, c.question) for c in compare(_load(new), _load(old))
    }
    assert all(c.text.ko and c.text.en for c in changes)
    added_choice = next(c for c in changes if c.kind == "choices" and "98" in c.text.en)
    assert "Don't know" in added_choice.text.en and "모름" in added_choice.text.ko


def test_a_type_change_is_named():
    old, new = _base(), _base()
    question = next(q for q in _questions(new) if q["type"] == "integer")
    question["type"] = "decimal"
    changes = compare(_load(old), _load(new))
    assert [(c.kind, c.question) for c in changes] == [("type", question["name"])]
    assert "integer → decimal" in changes[0].text.en


def test_screens_added_removed_retitled_and_conditioned_are_named():
    old, new = _base(), _base()
    first = new["household"]["sections"][0]
    first["title"] = {"ko": "집", "en": "Home"}
    first["relevant"] = "1 = 1"
    new["household"]["sections"].append(
        {
            "id": "extra",
            "title": {"ko": "추가 화면", "en": "Extra screen"},
            "questions": [
                {"name": "extra_q", "type": "text", "label": {"ko": "추가", "en": "Extra"}}
            ],
        }
    )
    changes = [c for c in compare(_load(old), _load(new)) if c.kind == "section"]
    texts = [c.text.en for c in changes]
    where = f"household/{first['id']}"
    assert f"screen {where} title: 'Housing' → 'Home'" in texts
    assert f"screen {where} relevance: — → 1 = 1" in texts
    assert "screen household/extra added: Extra screen" in texts
    back = [c.text.en for c in compare(_load(new), _load(old)) if c.kind == "section"]
    assert "screen household/extra removed" in back


def _question(data: dict, name: str) -> dict:
    return next(q for q in _questions(data) if q["name"] == name)


def test_calculations_filters_units_and_appearance_are_named():
    old, new = _base(), _base()
    _question(new, "rent_per_person")["calculate"] = "coalesce(${monthly_rent}, 0)"
    _question(new, "district")["choice_filter"] = "filter = ${region} or ${region} = 2"
    _question(new, "household_size")["unit"] = {"ko": "가구원", "en": "members"}
    _question(new, "tenure")["appearance"] = "minimal"
    kinds = {(c.kind, c.question) for c in compare(_load(old), _load(new))}
    assert kinds == {
        ("calculation", "rent_per_person"),
        ("choice_filter", "district"),
        ("unit", "household_size"),
        ("appearance", "tenure"),
    }


def test_an_exclusive_choice_and_a_filter_value_are_named():
    old, new = _base(), _base()
    new["choice_lists"]["risks"][2] = {"code": 99, "ko": "없음", "en": "None"}
    new["choice_lists"]["gu"][1] = {**new["choice_lists"]["gu"][1], "filter": "1"}
    changes = compare(_load(old), _load(new))
    said = " / ".join(c.text.en for c in changes)
    assert "risks choice 99: no longer exclusive" in said
    assert "district choice 11680 filter value: 2 → 1" in said
    assert all(c.kind == "choices" for c in changes)


def test_who_answers_is_named_when_the_roster_count_or_eligibility_changes():
    old, new = _base(), _base()
    new["household"]["sections"][1]["repeat_count"] = "${household_size} - 1"
    new["person"]["eligible"] = "${age} >= 19"
    changes = {c.kind: c for c in compare(_load(old), _load(new))}
    assert set(changes) == {"roster", "eligibility"}
    assert "${household_size} - 1" in changes["roster"].text.en
    assert "${age} >= 15 → ${age} >= 19" in changes["eligibility"].text.en
    assert "응답 대상" in changes["eligibility"].text.ko
