"""`x-ignore` names a rule procmap does not have.

A misspelt id in `x-ignore` silences nothing, so the finding it was meant to silence
stays, or worse, a later rule with that name would be silenced by accident. The message
suggests the closest rule id. Load and schema rules cannot be ignored either: a file
that fails them cannot be checked at all.

Failing:

    steps:
      - id: intake
        role: cs-agent
        next: [done, escalate]
        x-ignore: [implicit-splits]     # did you mean 'implicit-split'?

Passing:

    steps:
      - id: intake
        role: cs-agent
        next: [done, escalate]
        x-ignore: [implicit-split]
"""

from collections.abc import Iterator

from procmap.findings import Finding, Severity
from procmap.i18n import _
from procmap.model import ProcessEntry
from procmap.rules.base import Rule, ValidateContext

RULE = Rule("unknown-rule", Severity.WARNING, "`x-ignore` names a rule procmap does not have")


def check(ctx: ValidateContext) -> Iterator[Finding]:
    for entry in ctx.processes:
        process_ignores = entry.process.extensions.get("x-ignore")
        if process_ignores is not None:
            yield from _check_list(ctx, entry, process_ignores, ("x-ignore",), None)
        for index, step in enumerate(entry.process.steps):
            value = step.extensions.get("x-ignore")
            if value is not None:
                yield from _check_list(ctx, entry, value, ("steps", index, "x-ignore"),
                                       step.id)


def _check_list(ctx: ValidateContext, entry: ProcessEntry, value: object,
                path: tuple[str | int, ...], step: str | None) -> Iterator[Finding]:
    from procmap.rules.catalog import catalog, did_you_mean

    rules = catalog()
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    process = entry.process
    for position, name in enumerate(names):
        text = str(name)
        module = rules.get(text)
        where = (*path, position) if isinstance(value, list) else path
        if module is None:
            yield ctx.report(RULE, entry.doc, where, _(
                "x-ignore names no rule '{rule}'{hint}: it silences nothing; see "
                "docs/rules.md for the ids").format(rule=_short(text),
                                                    hint=did_you_mean(text, list(rules))),
                process=process.id, step=step)
        elif not module.rule.configurable:
            yield ctx.report(RULE, entry.doc, where, _(
                "'{rule}' cannot be ignored: a file that fails it cannot be checked; fix "
                "the file instead").format(rule=text), process=process.id, step=step)


def _short(text: str) -> str:
    """One printable line, cut short: the id is shown inside a one-line message."""
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text[:60])
    return shown if len(text) <= 60 else shown[:57] + "..."
