"""Text of the Reports page (ui/reports_page.py), Korean first: merged into ui.i18n.TEXT."""

from __future__ import annotations

REPORTS_TEXT: dict[str, tuple[str, str]] = {
    "page_reports": ("보고서", "Reports"),
}
