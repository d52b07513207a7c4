"""Text of the Microdata release page (ui/microdata_page.py), Korean first: merged into ui.i18n.TEXT."""

from __future__ import annotations

MICRODATA_TEXT: dict[str, tuple[str, str]] = {
    "page_microdata": ("마이크로데이터 공개", "Microdata release"),
}
