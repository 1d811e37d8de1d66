"""The visual language: fonts, palette and sizes, in one place.

A soft, BPMN-like look rather than Graphviz defaults. All lengths are in points
(1/72 inch), the unit Graphviz uses for positions. The font stack starts with a CJK
sans (Noto Sans CJK has Latin glyphs too), falls back to WenQuanYi Micro Hei and then
to the generic ``sans-serif``; symbols such as ✔ ⊞ ◷ come from DejaVu Sans through
fontconfig fallback. ``procmap doctor`` checks ``fc-list :lang=zh``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["THEME", "Theme"]


@dataclass(frozen=True)
class Theme:
    font: str = "Noto Sans CJK SC,WenQuanYi Micro Hei,DejaVu Sans,sans-serif"
    # text
    text: str = "#1F2A37"
    muted: str = "#6B7280"
    title_size: float = 20.0
    subtitle_size: float = 11.5
    name_size: float = 12.0
    detail_size: float = 9.5
    edge_label_size: float = 9.5
    header_size: float = 12.5
    badge_size: float = 9.0
    legend_size: float = 9.5
    # wrapping, in latin-character units (CJK counts 4/3)
    name_wrap: float = 24.0
    detail_wrap: float = 30.0
    edge_label_wrap: float = 20.0
    header_wrap: float = 14.0
    # lanes
    band_fills: tuple[str, str] = ("#F8FAFC", "#F1F5F9")
    band_border: str = "#CBD5E1"
    header_fill: str = "#E2E8F0"
    header_text: str = "#1E293B"
    overloaded_band: str = "#FDF0EC"
    overloaded_header: str = "#F9D9CF"
    # nodes
    task_fill: str = "#FFFFFF"
    task_border: str = "#5B7DB1"
    approval_fill: str = "#ECF7EF"
    approval_border: str = "#3E8E5E"
    approval_mark: str = "#2E7D4F"
    subprocess_fill: str = "#FFFFFF"
    subprocess_border: str = "#5B7DB1"
    start_fill: str = "#E8F5E9"
    start_border: str = "#43A047"
    end_fill: str = "#FDECEC"
    end_border: str = "#C62828"
    gateway_fill: str = "#FFF7E0"
    gateway_border: str = "#C99A1E"
    wait_fill: str = "#FFF7E0"
    wait_border: str = "#B7791F"
    # edges
    edge: str = "#64748B"
    edge_width: float = 1.3
    loop_back: str = "#8B5CF6"
    edge_label: str = "#374151"
    edge_label_bg: str = "#FFFFFFD9"
    # highlight
    critical: str = "#E4572E"
    critical_width: float = 2.6
    badge_fill: str = "#FFF1EC"
    # geometry (points)
    event_size: float = 30.0
    gateway_size: float = 40.0
    task_min_width: float = 96.0
    task_min_height: float = 40.0
    header_min: float = 96.0  # header column width (LR) / header row height (TB)
    band_pad: float = 20.0  # free space between a band's edge and its nodes
    flow_pad: float = 30.0  # room before the first and after the last rank (edge routing)
    row_gap: float = 22.0  # between two rows of the same lane
    part_gap: float = 5.0  # between a shape, its caption and its badge
    header_inset: float = 3.0  # headers stay clear of band edges (edge routing)
    margin: float = 16.0
    corner_radius: float = 7.0  # rounded bends of the orthogonal edges
    arrow_length: float = 7.0  # Graphviz: 10 x arrowsize (0.7)
    # PNG resolution: crisp on high-density screens, scaled down for huge diagrams
    png_dpi: float = 144.0
    png_max_side_px: float = 32000.0
    png_max_pixels: float = 120e6


THEME = Theme()
