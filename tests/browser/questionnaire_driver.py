"""Answer questionnaire screens in Chromium the way a person would: by the question's label.

The driver reads the questionnaire model for the labels and choice texts, so
tests say *what* is answered (``{"tenure": 2}``) and the driver clicks the
option, types the number or ticks the boxes it shows. Questions hidden by skip
logic are not on the screen, and answering one is an error in the test.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Locator, Page, expect

from surveys.questionnaire.model import Questionnaire, Section


def wait_idle(page: Page) -> None:
    page.wait_for_timeout(200)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=30_000)
    page.wait_for_timeout(150)


class Driver:
    def __init__(self, page: Page, questionnaire: Questionnaire):
        self.page = page
        self.q = questionnaire

    def visible(self, name: str, scope: Locator | None = None) -> bool:
        return self._field(name, scope).count() > 0

    def _field(self, name: str, scope: Locator | None) -> Locator:
        where = scope or self.page
        question = self.q.question(name)
        label = question.label.ko
        if question.type in ("single", "scale"):
            return where.get_by_role("radiogroup", name=label, exact=True)
        if question.type == "multiple":
            return where.locator(".question-label", has_text=label)
        if question.unit:
            label = f"{label} ({question.unit.ko})"
        return where.get_by_label(label, exact=True)

    def answer(self, name: str, value: Any, scope: Locator | None = None) -> None:
        question = self.q.question(name)
        field = self._field(name, scope)
        assert field.count() == 1, f"question {name} is not on the screen"
        if question.type in ("single", "scale"):
            text = (
                str(value)
                if question.type == "scale"
                else self.q.choice_lists[question.choices].label(value, "ko")
            )
            option = field.locator("[data-testid=stRadioOption]").filter(
                has_text=re.compile(f"^{re.escape(text)}$")
            )
            for _ in range(3):  # a rerun redrawing the options can swallow a click: check it took
                option.first.click()
                wait_idle(self.page)
                if option.first.locator("input").is_checked():
                    break
        elif question.type == "multiple":
            for code in value:
                text = self.q.choice_lists[question.choices].label(code, "ko")
                box = (
                    (scope or self.page)
                    .locator("[data-testid=stCheckbox]")
                    .filter(has_text=re.compile(f"^{re.escape(text)}$"))
                )
                box.first.click()
                wait_idle(self.page)
        else:
            field.fill(str(value))
            field.press("Tab")
        wait_idle(self.page)

    def fill(self, section: Section, plan: dict[str, Any], scope: Locator | None = None) -> None:
        """Answer, in order, every question of ``section`` that ``plan`` gives and the screen shows.

        Waits first until the screen shows one of them: a page still connecting shows none,
        and skipping them all would only surface later as a refused screen."""
        wanted = [q.name for q in section.questions if q.name in plan]
        for _ in range(150):
            if not wanted or any(self.visible(name, scope) for name in wanted):
                break
            self.page.wait_for_timeout(200)
        else:
            raise AssertionError(f"none of {wanted} appeared on the screen in 30 s")
        for question in section.questions:
            if question.name in plan and self.visible(question.name, scope):
                self.answer(question.name, plan[question.name], scope)

    def press(self, name: str) -> None:
        self.page.get_by_role("button", name=name, exact=True).click()
        wait_idle(self.page)

    def next_screen(self, name: str = "다음") -> None:
        """Press 다음 (or 이전) and wait until the step counter has moved."""
        wait_idle(self.page)  # a rerun from the last answer may still be drawing the screen
        progress = self.page.get_by_test_id("stProgress")
        expect(progress).to_be_visible(timeout=60_000)
        before = progress.inner_text()
        self.page.get_by_role("button", name=name, exact=True).click()
        try:
            expect(progress).not_to_have_text(before, timeout=30_000)
        except AssertionError as stuck:  # say why: a refused screen lists its problems
            refused = self.page.locator(".error-summary").all_inner_texts()
            errors = self.page.get_by_test_id("stAlertContentError").all_inner_texts()
            raise AssertionError(f"still at {before!r}; refused: {refused} {errors}") from stuck
        wait_idle(self.page)

    def heading(self) -> str:
        return self.page.locator("h3").last.inner_text()
