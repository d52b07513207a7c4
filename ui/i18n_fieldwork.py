"""Text of the Fieldwork page (ui/fieldwork_page.py), Korean first: merged into ui.i18n.TEXT."""

from __future__ import annotations

FIELDWORK_TEXT: dict[str, tuple[str, str]] = {
    "page_fieldwork": ("현장 점검", "Fieldwork"),
}
