"""The docs that are generated from code must be in sync with it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_rules_page_is_generated_from_the_rule_modules() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rule_docs.py"),
                             "--check"], capture_output=True, text=True)
    assert result.returncode == 0, "docs/rules.md is stale: run `make docs`"


def test_every_rule_of_the_contract_is_documented() -> None:
    """rules.md's ids are a contract: each must be a registered rule with a docs section."""
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    from procmap.rules import all_rules

    registered = set(all_rules())
    documented = set(re.findall(r"^### ([a-z0-9-]+)$", page, flags=re.M))
    assert registered == documented
    contract = {"yaml-syntax", "duplicate-key", "yaml-alias", "schema", "duplicate-id",
                "unknown-reference", "single-start", "end-required", "invalid-transition",
                "unreachable-step", "no-path-to-end", "decision-branches", "probability-sum",
                "duplicate-transition", "implicit-split", "sla-below-duration",
                "reports-to-cycle", "subprocess-cycle", "unused-role", "missing-role"}
    assert contract <= registered


def test_readme_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if "://" not in target:
            assert (ROOT / target).exists(), f"README links to missing {target}"
