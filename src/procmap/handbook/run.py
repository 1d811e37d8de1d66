"""The handbook from PATH arguments: audit, the handbook's rule, diagrams, pages."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procmap.config import Config
    from procmap.findings import Finding
    from procmap.handbook.build import Handbook
    from procmap.handbook.diagrams import DiagramCache
    from procmap.pipeline import Validation

__all__ = ["make_handbook", "write_handbook"]


def make_handbook(validation: Validation, config: Config, only: Collection[str] | None,
                  cache: DiagramCache, title: str | None = None
                  ) -> tuple[Handbook, list[Finding]]:
    """The handbook of the validated processes (diagrams drawn) and every finding
    (validate, audit, handbook-incomplete)."""
    from procmap.analysis.audit import run_audit
    from procmap.analysis.rules import HANDBOOK_RULES
    from procmap.handbook.build import build_handbook
    from procmap.handbook.site import draw_diagrams
    from procmap.i18n import _

    result = run_audit(validation, config, only=only)
    gaps = [f for f in run_audit(validation, config, only=only, phase="handbook").findings
            if f.rule in HANDBOOK_RULES]
    handbook = build_handbook(result, config, gaps, title)
    draw_diagrams(handbook, validation.workspace, cache, _("drawing diagrams"))
    return handbook, sorted([*result.findings, *gaps], key=lambda f: f.sort_key)


def write_handbook(handbook: Handbook, output: str, fmt: str) -> list[str]:
    """Write the site (html) or the PDF; returns what was written."""
    from procmap.i18n import _

    if fmt == "pdf":
        from procmap.handbook.pdf import html_to_pdf
        from procmap.handbook.site import print_document
        from procmap.io import write_output

        write_output(output, html_to_pdf(print_document(handbook)))
        return [output]
    from procmap.handbook.site import write_site

    write_site(handbook, output, _("writing pages"))
    return [output]
