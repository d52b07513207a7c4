"""Reading an exported chart (SVG from :func:`analysis.reports.vega.svg`): its texts by role,
its marks, the fonts it names. A PNG cannot be read back; its SVG twin from the same spec can."""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def _groups(svg: str):
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        yield group.get("class", ""), group


def svg_texts(svg: str) -> dict[str, list[str]]:
    """The texts of each kind of text mark, keyed by the first two words of its group's
    class ('mark-text role-mark', 'mark-text role-title-text', 'mark-text role-axis-label' …)."""
    texts: dict[str, list[str]] = {}
    for name, group in _groups(svg):
        if name.startswith("mark-text"):
            key = " ".join(name.split()[:2])
            texts.setdefault(key, []).extend(
                "".join(t.itertext()) for t in group.iter(f"{SVG}text")
            )
    return texts


def svg_marks(svg: str, layer: str) -> list[ET.Element]:
    """The drawn marks (paths) of a layer, e.g. 'layer_0_marks'."""
    return [
        mark
        for name, group in _groups(svg)
        if layer in name.split()
        for mark in group
        if mark.tag == f"{SVG}path"
    ]


def svg_fonts(svg: str) -> set[str]:
    """Every font family a text of the picture asks for."""
    root = ET.fromstring(svg)
    return {t.get("font-family", "") for t in root.iter(f"{SVG}text")}
