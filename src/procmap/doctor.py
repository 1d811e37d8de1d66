"""Environment checks for rendering: Graphviz and CJK fonts."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from procmap.i18n import _, ngettext

#: fonts procmap's diagrams ask for, best first; any one with Chinese glyphs will do
CJK_FONT_PACKAGES = "fonts-noto-cjk (or the smaller fonts-wqy-microhei)"


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def graphviz_check() -> Check:
    dot = shutil.which("dot")
    if dot is None:
        return Check("graphviz", False, _("the `dot` program is not on PATH (needed for "
                                          "svg, png, pdf and html)"),
                     _("Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install "
                       "graphviz; Windows: winget install graphviz"))
    try:
        probe = subprocess.run([dot, "-V"], capture_output=True, text=True, timeout=10)
        version = (probe.stderr or probe.stdout).strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return Check("graphviz", False, _("{program} does not run: {error}").format(
            program=dot, error=exc), _("reinstall Graphviz"))
    return Check("graphviz", True, _("{version} at {program}").format(version=version,
                                                                      program=dot))


def cjk_font_check() -> Check:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return Check("cjk-font", False, _("fontconfig's fc-list is missing, so Graphviz "
                                          "cannot find fonts"),
                     f"sudo apt-get install fontconfig {CJK_FONT_PACKAGES}")
    try:
        probe = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True,
                               text=True, timeout=20)
    except (OSError, subprocess.SubprocessError) as exc:
        return Check("cjk-font", False, _("fc-list failed: {error}").format(error=exc),
                     _("reinstall fontconfig"))
    families = sorted({line.split(",")[0].strip() for line in probe.stdout.splitlines()
                       if line.strip()})
    if not families:
        return Check("cjk-font", False, _("no font with Chinese glyphs: Chinese names "
                                          "would be drawn as empty boxes in svg/png/pdf"),
                     _("Debian/Ubuntu: sudo apt-get install {packages}; macOS and Windows "
                       "ship one").format(packages=CJK_FONT_PACKAGES))
    shown = ", ".join(families[:3]) + (" ..." if len(families) > 3 else "")
    return Check("cjk-font", True, ngettext(
        "{count} font family with Chinese glyphs ({shown})",
        "{count} font families with Chinese glyphs ({shown})",
        len(families)).format(count=len(families), shown=shown))


def checks() -> list[Check]:
    return [graphviz_check(), cjk_font_check()]
