"""Units and escaping: the one home of how procmap writes numbers and user text.

* `procmap.text.units`: durations and hours, in procmap's notation and ISO-8601;
* `procmap.text.escape`: user text made safe for a terminal, Markdown, HTML/XML,
  Mermaid, GitHub workflow commands and URIs (SARIF).

Both are dependency-free and cheap to import.
"""
