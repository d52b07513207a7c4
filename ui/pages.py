"""Which pages exist and which roles may open each (the navigation is built from this)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from data.accounts import ADMIN, INTERVIEWER, PANEL_OPERATOR, ROLES, STATISTICIAN, SURVEY_MANAGER
from ui import (
    account,
    admin,
    estimates_page,
    explore_page,
    fieldwork_page,
    home,
    interview,
    microdata_page,
    panel_health_page,
    panel_page,
    reports_page,
    surveys_page,
)


@dataclass(frozen=True)
class PageSpec:
    key: str  # i18n key of the title, also the URL path
    render: Callable[[], None]
    icon: str
    roles: tuple[str, ...]
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("page_home", home.render, ":material/home:", tuple(ROLES), default=True),
    PageSpec("page_admin", admin.render, ":material/admin_panel_settings:", (ADMIN,)),
    PageSpec("page_surveys", surveys_page.render, ":material/assignment:", (SURVEY_MANAGER, ADMIN)),
    PageSpec(
        "page_estimates",
        estimates_page.render,
        ":material/query_stats:",
        (STATISTICIAN, SURVEY_MANAGER, ADMIN),
    ),
    PageSpec(
        "page_explore",
        explore_page.render,
        ":material/insights:",
        (STATISTICIAN, SURVEY_MANAGER, ADMIN),
    ),
    PageSpec(
        "page_fieldwork",
        fieldwork_page.render,
        ":material/monitoring:",
        (SURVEY_MANAGER, STATISTICIAN, PANEL_OPERATOR, ADMIN),
    ),
    PageSpec(
        "page_panel",
        panel_page.render,
        ":material/groups:",
        (PANEL_OPERATOR, SURVEY_MANAGER, ADMIN),
    ),
    PageSpec(
        "page_panel_health",
        panel_health_page.render,
        ":material/monitor_heart:",
        (PANEL_OPERATOR, SURVEY_MANAGER, STATISTICIAN, ADMIN),
    ),
    PageSpec(
        "page_reports",
        reports_page.render,
        ":material/description:",
        (SURVEY_MANAGER, STATISTICIAN, ADMIN),
    ),
    PageSpec("page_microdata", microdata_page.render, ":material/lock:", (STATISTICIAN, ADMIN)),
    PageSpec("page_interview", interview.render, ":material/assignment_ind:", (INTERVIEWER, ADMIN)),
    PageSpec("page_account", account.render, ":material/person:", tuple(ROLES)),
)


def pages_for(role: str) -> list[PageSpec]:
    return [page for page in PAGES if role in page.roles]
