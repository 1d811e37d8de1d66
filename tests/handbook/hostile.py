"""A repository whose every field holds hostile text: quotes, <>, {}, |, backslashes,
newlines, bidi controls, CJK, script and HTML, javascript: and image Markdown."""

from __future__ import annotations

import json

EVIL = ("'\"<script>alert(1)</script>{{7*7}}{% raw %}|\\ \u202e逆序\u202c 客户\n"
        "<img src=x onerror=alert(2)> </textarea></script><!--")
MARKDOWN = ("**粗体** <script>alert(3)</script> <b onclick=alert(4)>x</b>\n\n"
            "[click](javascript:alert(5)) ![pic](http://evil.example/x.png) "
            "[ok](https://example.com/a) <iframe src=//evil.example></iframe>\n\n"
            "```\n</div><script>alert(6)</script>\n```\n")


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def hostile_files() -> dict[str, str]:
    e = q(EVIL)
    roles = f"""procmap: 1
roles:
  - {{id: 客服.专员-1, name: {e}, description: {e}, reports_to: boss_x0020_</a}}
""".replace("boss_x0020_</a", "boss_x0020_a")
    roles += f"""  - {{id: boss_x0020_a, name: {e}}}
  - {{id: customer, name: {e}}}
"""
    process = f"""procmap: 1
id: evil_x0041_.流程
name: {e}
description: {e}
purpose: {e}
scope: {e}
version: {e}
owner: boss_x0020_a
tags: [{e}]
steps:
  - {{id: s, kind: start, name: {e}, next: 步骤.一}}
  - id: 步骤.一
    name: {e}
    role: 客服.专员-1
    duration: 10m
    sla: 1h
    deadline: 2h
    system: {e}
    description: {e}
    instructions: {q(MARKDOWN)}
    inputs: [{e}]
    outputs: [{e}]
    consulted: [boss_x0020_a]
    informed: [customer]
    next: choose
  - id: choose
    kind: decision
    name: {e}
    next:
      - {{to: call, when: {e}, probability: 0.5}}
      - {{to: e, when: {e}, probability: 0.5}}
  - {{id: call, kind: subprocess, name: {e}, role: 客服.专员-1, process: other, next: e}}
  - {{id: e, kind: end, name: {e}}}
"""
    other = f"""procmap: 1
id: other
name: {e}
steps:
  - {{id: s, kind: start, next: t}}
  - {{id: t, name: {e}, role: boss_x0020_a, kind: approval, of: {e}, duration: 5m, next: e}}
  - {{id: e, kind: end}}
"""
    return {"roles.yaml": roles, "evil.yaml": process, "other.yaml": other}
