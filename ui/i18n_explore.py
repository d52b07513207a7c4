"""Text of the Explore page (ui/explore_page.py), Korean first: merged into ui.i18n.TEXT."""

from __future__ import annotations

EXPLORE_TEXT: dict[str, tuple[str, str]] = {
    "page_explore": ("탐색", "Explore"),
}
