"""procmap handbook: the operating handbook, generated from the files CI checks.

`procmap handbook [PATH...] -o SITE/` writes a static, self-contained site (spec:
handbook.md): ``SITE/index.html`` (every process and role, offline search),
``SITE/processes/<id>.html`` (an SOP per process), ``SITE/roles/<id>.html`` (a
responsibility description, 职责说明书, per role) and ``SITE/assets/`` (the page
script). `--format pdf` prints the same content as one A4 document.

The parts: `build` gathers what the pages show (model, audit metrics and findings, RACI,
git history) into plain objects; `diagrams` draws each swimlane diagram once (cached by
content hash); `site` renders the templates (procmap.templates) and writes the site
atomically; `pdf` prints it with headless Chromium.
"""

from __future__ import annotations

from procmap.handbook.build import Handbook, build_handbook

__all__ = ["Handbook", "build_handbook"]
