"""Hand-made diagrams shared by the render tests (built by hand: no loader, no model)."""

from __future__ import annotations

import shutil

import pytest

from procmap.render.diagram import Diagram, Direction, Edge, Lane, Node

HAVE_GRAPHVIZ = shutil.which("dot") is not None and shutil.which("neato") is not None

# Module-level `pytestmark` for tests that run the Graphviz binaries.
GRAPHVIZ_MARKS = [
    pytest.mark.graphviz,
    pytest.mark.skipif(not HAVE_GRAPHVIZ, reason="Graphviz dot/neato not on PATH"),
]


def small_diagram(direction: Direction = "LR") -> Diagram:
    """Five steps in two lanes: the golden-file fixture (keep it small and stable)."""
    return Diagram(
        id="expense-claim",
        title="Expense claim",
        subtitle="SLA 5d · expected lead time 2.1d",
        direction=direction,
        lanes=[Lane("employee", "Employee"), Lane("manager", "Line manager")],
        nodes=[
            Node("start", "employee", "start", "Receipt in hand"),
            Node("submit", "employee", "task", "Submit claim", details=("10m",)),
            Node("approve", "manager", "approval", "Approve claim", details=("5m", "wait 1d")),
            Node("ok", "manager", "decision", "Approved?"),
            Node("end", "employee", "end", "Paid"),
        ],
        edges=[
            Edge("start", "submit"),
            Edge("submit", "approve"),
            Edge("approve", "ok"),
            Edge("ok", "end", label="yes (90%)"),
            Edge("ok", "submit", label="no (10%)", loop_back=True),
        ],
    )


def complaint_diagram(direction: Direction = "LR", highlight: bool = True) -> Diagram:
    """A realistic 12-step CJK complaint flow: decision, parallel fork/join, rework loop."""
    lanes = [
        Lane("customer", "客户"),
        Lane("agent", "客服专员", overloaded=True, badge="利用率 137%"),
        Lane("qa", "质检主管"),
        Lane("finance", "财务部"),
    ]
    nodes = [
        Node("received", "customer", "start", "收到客户投诉"),
        Node("register", "agent", "task", "登记投诉并分类", details=("15m",), critical=True,
             tooltip=(("负责人", "客服专员"), ("SLA", "2h"))),
        Node("triage", "agent", "decision", "问题是否复杂?", critical=True),
        Node("quick_fix", "agent", "task", "直接答复客户", details=("20m",)),
        Node("investigate", "qa", "subprocess", "深入调查 Root-cause analysis",
             details=("2d", "SLA 3d"), bottleneck=True, badge="等待占比 68%", critical=True),
        Node("fork", "qa", "parallel", "并行处理", critical=True),
        Node("refund", "finance", "approval", "审批退款金额", details=("30m", "wait 1d"),
             critical=True),
        Node("apology", "agent", "task", "撰写致歉信", details=("45m",)),
        Node("join", "qa", "parallel", "汇合"),
        Node("review", "qa", "approval", "质检复核 Final QA review", details=("1h",),
             critical=True),
        Node("wait_feedback", "customer", "wait", "等待客户反馈 (最多 7 天)", details=("7d",)),
        Node("closed", "customer", "end", "投诉关闭"),
    ]
    edges = [
        Edge("received", "register", critical=True),
        Edge("register", "triage", critical=True),
        Edge("triage", "quick_fix", label="简单问题 (70%)"),
        Edge("triage", "investigate", label="复杂问题 (30%)", critical=True),
        Edge("quick_fix", "wait_feedback"),
        Edge("investigate", "fork", critical=True),
        Edge("fork", "refund", critical=True),
        Edge("fork", "apology"),
        Edge("refund", "join", critical=True),
        Edge("apology", "join"),
        Edge("join", "review", critical=True),
        Edge("review", "investigate", label="不通过 (15%)", loop_back=True),
        Edge("review", "wait_feedback", label="通过", critical=True),
        Edge("wait_feedback", "closed"),
    ]
    return Diagram(
        id="complaint-handling",
        title="客户投诉处理 Complaint handling",
        subtitle="SLA 7d · expected lead time 3.2d · 12 steps in 4 roles",
        lanes=lanes,
        nodes=nodes,
        edges=edges,
        direction=direction,
        highlight=highlight,
    )


HOSTILE_TEXTS: tuple[str, ...] = (
    "quote \" apostrophe ' lt < gt > braces { } pipe | backslash \\ \\l \\n \\N \\G",
    "real\nnewline",
    "<b>bold</b>",
    '<IMG SRC="/etc/passwd"/>',
    "javascript:alert(1)",
    "]]>",
    "%%{init: {}}%%",
    "click A call x()",
    "end",
    "rocket 🚀",
    "客户投诉处理",
    "nul\x00 esc\x1b bell\x07",
    "trailing backslash \\",
    "--- o x --> & &amp; #quot;",
)


def hostile_diagram(direction: Direction = "LR") -> Diagram:
    """Every user string is hostile: labels, details, tooltips, edge labels, even ids."""
    texts = HOSTILE_TEXTS
    lanes = [Lane(f"lane {i}: \"{t[:6]}\"", t, overloaded=True, badge=t) for i, t in
             enumerate(texts[:3])]
    kinds = ("start", "task", "approval", "decision", "parallel", "subprocess", "wait", "end")
    nodes = []
    for i, text in enumerate(texts):
        nodes.append(Node(
            id=f"step {i} <{text[:8]}>" if i != 8 else "end",
            lane=lanes[i % len(lanes)].id,
            kind=kinds[i % len(kinds)],  # type: ignore[arg-type]
            label=text,
            details=(text, "30m"),
            tooltip=((text, text), ("SLA", "2h")),
            bottleneck=i % 4 == 1,
            badge=text if i % 4 == 1 else "",
            critical=i % 2 == 0,
        ))
    edges = [Edge(nodes[i].id, nodes[i + 1].id, label=texts[i], critical=i % 2 == 0)
             for i in range(len(nodes) - 1)]
    edges.append(Edge(nodes[-1].id, nodes[2].id, label=texts[3], loop_back=True))
    return Diagram(id='proc "x" <y>', title=texts[0] + " " + texts[2], subtitle=texts[4],
                   lanes=lanes, nodes=nodes, edges=edges, direction=direction,
                   highlight=True, meta={"k": texts[1]})
