"""Reading boxes back out of Graphviz SVG (shared by the geometry and hostile tests)."""

from __future__ import annotations

import re

from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in SVG user units


def parse_svg(svg: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(svg, parser)


def classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").split())


def shape_box(element: etree._Element) -> Box:
    """Bounding box of the first drawn shape (polygon, path or ellipse) of a group."""
    for child in element.iter(f"{SVG}polygon", f"{SVG}path", f"{SVG}ellipse"):
        if child.tag == f"{SVG}ellipse":
            cx, cy = float(child.get("cx")), float(child.get("cy"))
            rx, ry = float(child.get("rx")), float(child.get("ry"))
            return (cx - rx, cy - ry, cx + rx, cy + ry)
        text = child.get("points") if child.tag == f"{SVG}polygon" else child.get("d")
        values = [float(v) for v in _NUMBER.findall(text or "")]
        xs, ys = values[0::2], values[1::2]
        return (min(xs), min(ys), max(xs), max(ys))
    raise AssertionError(f"no shape in {element.get('id')}")


def text_box(element: etree._Element) -> Box:
    """Rough box of a group drawn only as text (captions): its text anchor points."""
    xs = [float(t.get("x")) for t in element.iter(f"{SVG}text")]
    ys = [float(t.get("y")) for t in element.iter(f"{SVG}text")]
    return (min(xs), min(ys), max(xs), max(ys))


def inside(inner: Box, outer: Box, tolerance: float = 0.6) -> bool:
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


def groups(root: etree._Element, css_class: str) -> list[etree._Element]:
    return [g for g in root.iter(f"{SVG}g") if css_class in classes(g)]


def all_text(root: etree._Element) -> str:
    return "".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
