"""The refund example before and after the changes the diff tests review."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

# The change under review: a finance approval between the lead's review and the payout.
FINANCE_APPROVAL = """\
  - id: approve-finance
    name: 财务复核
    kind: approval
    role: finance-manager
    of: payout
    wait: 2h
    duration: 15m
    next:
      - to: payout
        when: 批准
        probability: 0.98
      - to: notify-rejection
        when: 驳回
        probability: 0.02

"""


def refund_text() -> str:
    return (EXAMPLES / "refund-approval.yaml").read_text(encoding="utf-8")


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the example changed: {old!r} is not there once"
    return text.replace(old, new)


def with_finance_approval(text: str) -> str:
    """refund-approval.yaml with an `approve-finance` step before the payout."""
    text = replace_once(text, "      - to: payout\n        when: 批准\n        probability: 0.95",
                        "      - to: approve-finance\n        when: 批准\n"
                        "        probability: 0.95")
    return replace_once(text, "  - id: payout\n", FINANCE_APPROVAL + "  - id: payout\n")


def without_lead_review(text: str, to: str = "payout") -> str:
    """refund-approval.yaml without the redundant `approve-lead` review: the manager's
    approval goes on to `to`."""
    start = text.index("  - id: approve-lead\n")
    end = text.index("  - id: ", start + 1)
    text = text[:start] + text[end:]
    return replace_once(text, "      - to: approve-lead\n", f"      - to: {to}\n")


def write_repo(directory: Path, files: dict[str, str]) -> Path:
    """A directory of process files: {relative path: text}."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory


def example_files(refund: str | None = None, refund_name: str = "refund-approval.yaml"
                  ) -> dict[str, str]:
    return {"roles.yaml": (EXAMPLES / "roles.yaml").read_text(encoding="utf-8"),
            refund_name: refund_text() if refund is None else refund}
