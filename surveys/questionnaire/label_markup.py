"""What a questionnaire's labels may contain, and how they are made safe to show.

A label (question, choice, section title, help, unit, constraint message) comes from a file a
survey manager uploads, so it is untrusted text that ends up on every respondent's screen.
The rule, for every place a label is shown:

- **Allowed markup** is a small allow-list of inline formatting: ``<b> <strong> <i> <em> <u>
  <br> <sup> <sub>``, without attributes. Every other tag is dropped and its text kept
  (``<span style="color:red">예</span>`` shows "예"); ``<script>`` and ``<style>`` are dropped
  with their content. Markdown characters in a label are shown as those characters: a label
  is never read as markdown, so ``![x](http://…)`` fetches nothing.
- **Active content is refused at upload** (:func:`active_content`): script, frames, embedded
  objects, forms, style sheets, event-handler attributes (``onerror=``…) and ``javascript:``
  or ``data:`` addresses. A questionnaire carrying any of them is not a mistake a statistics
  office makes; the loader lists each one as a problem and stores nothing.

The sanitiser is ammonia's (through ``nh3``), an HTML5 parser with an allow-list, as the
OWASP XSS prevention cheat sheet recommends over hand-written filters.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset({"b", "strong", "i", "em", "u", "br", "sup", "sub"})
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
ACTIVE_TAGS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
        "input", "button", "textarea", "select", "link", "meta", "base", "svg", "math",
    }
)  # fmt: skip
_ACTIVE_URL = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)
# Only what markdown (as Streamlit reads it) would act on, so that a screen reader reading the
# widget's label hears no stray backslashes: emphasis, code, links and images, LaTeX, HTML.
_MARKDOWN = re.compile(r"([\\`*_~\[\]$<>])")
_BLOCK_START = re.compile(r"^(\s*)([#>+-])|^(\s*\d+)([.)])(?=\s|$)")
_MARKDOWN_OF = {"b": "**", "strong": "**", "i": "*", "em": "*"}


def label_html(text: str) -> str:
    """The label as HTML safe to put in a page: allowed tags kept, everything else text."""
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={},
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        strip_comments=True,
        link_rel=None,
    )


class _Reader(HTMLParser):
    """Walks sanitised label HTML, writing plain text or markdown."""

    def __init__(self, markdown: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.markdown = markdown
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, opening=True)

    def handle_endtag(self, tag: str) -> None:
        self._tag(tag, opening=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, opening=True)

    def _tag(self, tag: str, opening: bool) -> None:
        if tag == "br" and opening:
            self.out.append(" ")
        elif self.markdown and tag in _MARKDOWN_OF:
            self.out.append(_MARKDOWN_OF[tag])

    def handle_data(self, data: str) -> None:
        self.out.append(_MARKDOWN.sub(r"\\\1", data) if self.markdown else data)


def _read(text: str, markdown: bool) -> str:
    reader = _Reader(markdown)
    reader.feed(label_html(text))
    reader.close()
    words = re.sub(r"[ \t]{2,}", " ", "".join(reader.out)).strip()
    if markdown:  # "1. 귀하는…" or "- 예" must not become a list, "# …" not a heading
        words = _BLOCK_START.sub(_escape_block_start, words, count=1)
    return words


def _escape_block_start(match: re.Match[str]) -> str:
    if match[2] is not None:
        return f"{match[1]}\\{match[2]}"
    return f"{match[3]}\\{match[4]}"


def label_plain(text: str) -> str:
    """The label's words only (for a link text, a spreadsheet, a screen-reader summary)."""
    return _read(text, markdown=False)


def label_markdown(text: str) -> str:
    """The label for a place Streamlit reads as markdown (widget labels, notes, captions):
    bold and italic kept as markdown, every other markdown character escaped."""
    return _read(text, markdown=True)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}=")
            elif value and _ACTIVE_URL.match(html.unescape(value)):
                self.found.append(f'{name}="{value.split(":", 1)[0].strip()}:…"')

    handle_startendtag = handle_starttag


def active_content(text: str) -> list[str]:
    """What in a label could run or load something in the respondent's browser: tags of
    ``ACTIVE_TAGS``, ``on…=`` attributes, ``javascript:``/``vbscript:``/``data:`` addresses.
    Empty for a safe label."""
    if "<" not in text:
        return []
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return list(dict.fromkeys(scanner.found))
