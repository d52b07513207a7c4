"""Which pages exist and which roles may open each: the allow table of every staff page.

The navigation is built from it, and every page's first line, ``require_page(__name__)``
(:mod:`ui.context`), checks the signed-in role against the page's entry here, so the table
is the one place a page's roles are written. A module with no entry is refused to every
role, administrators included (deny by default); ``tests/ui/test_page_access.py`` renders
every page for every role.

A page's module is imported when the page is first opened, not when the app starts: the
sign-in page and the home page do not wait for the explorer's or the reports' libraries.
:mod:`ui.warm_up` imports them all in the background once the server has started.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from data.accounts import ADMIN, INTERVIEWER, PANEL_OPERATOR, ROLES, STATISTICIAN, SURVEY_MANAGER


@dataclass(frozen=True)
class PageSpec:
    key: str  # i18n key of the title; without "page_", the URL path
    module: str  # the ui module whose ``render()`` draws the page
    icon: str
    roles: tuple[str, ...]
    default: bool = False

    @property
    def url_path(self) -> str:
        return self.key.removeprefix("page_")

    def render(self) -> None:
        importlib.import_module(self.module).render()


_ANALYSTS = (STATISTICIAN, SURVEY_MANAGER, ADMIN)
PAGES: tuple[PageSpec, ...] = (
    PageSpec("page_home", "ui.home", ":material/home:", tuple(ROLES), default=True),
    PageSpec("page_admin", "ui.admin", ":material/admin_panel_settings:", (ADMIN,)),
    PageSpec("page_surveys", "ui.surveys_page", ":material/assignment:", (SURVEY_MANAGER, ADMIN)),
    PageSpec(
        "page_questionnaires",
        "ui.questionnaires_page",
        ":material/fact_check:",
        (SURVEY_MANAGER, ADMIN),
    ),
    PageSpec("page_estimates", "ui.estimates_page", ":material/query_stats:", _ANALYSTS),
    PageSpec("page_explore", "ui.explore_page", ":material/insights:", _ANALYSTS),
    PageSpec(
        "page_fieldwork",
        "ui.fieldwork_page",
        ":material/monitoring:",
        (SURVEY_MANAGER, STATISTICIAN, PANEL_OPERATOR, ADMIN),
    ),
    PageSpec(
        "page_panel", "ui.panel_page", ":material/groups:", (PANEL_OPERATOR, SURVEY_MANAGER, ADMIN)
    ),
    PageSpec(
        "page_panel_health",
        "ui.panel_health_page",
        ":material/monitor_heart:",
        (PANEL_OPERATOR, SURVEY_MANAGER, STATISTICIAN, ADMIN),
    ),
    PageSpec("page_reports", "ui.reports_page", ":material/description:", _ANALYSTS),
    PageSpec("page_microdata", "ui.microdata_page", ":material/lock:", (STATISTICIAN, ADMIN)),
    PageSpec("page_interview", "ui.interview", ":material/assignment_ind:", (INTERVIEWER, ADMIN)),
    PageSpec("page_account", "ui.account", ":material/person:", tuple(ROLES)),
)


def pages_for(role: str) -> list[PageSpec]:
    return [page for page in PAGES if role in page.roles]


def roles_of(module: str) -> tuple[str, ...]:
    """The roles a page's module may be rendered for; none for a module that is not a
    registered page (deny by default)."""
    return next((page.roles for page in PAGES if page.module == module), ())
