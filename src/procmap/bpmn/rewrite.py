"""Graph rewrites that turn a BPMN flow into a format-1 flow.

BPMN allows shapes procmap spells differently; each rewrite keeps the meaning where it
can and reports where it cannot:

* an approval-outcome gateway of procmap's own export folds back into its approval;
* an activity or event with several outgoing flows gets an explicit ``parallel`` step
  (BPMN: all unconditional flows are taken) or, when the flows have conditions, a
  ``decision`` (BPMN: every flow whose condition holds is taken: reported as lossy);
* a step without outgoing flows (BPMN: an implicit end) leads to a new ``end``;
* no start event: a new ``start`` leads to every step without incoming flows;
  several start events: a new ``start`` and a ``decision`` choose between them;
* gateways that only merge (one way out) disappear: format 1 merges implicitly;
  a parallel gateway with several ways in stays, as the join;
* two flows from one step to the same target become one transition;
* elements no path from the start reaches (disconnected in the source) are left out;
* a loop no path leaves (ended elsewhere by a terminate end, as in the bpmn.io pizza
  demo) gets a decision with a way out to a new end;
* work outside any lane gets the role of its pool (or of the step that calls it).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from procmap.bpmn.ir import LOSSY, NOTE, Flow, Model, Node, Process
from procmap.findings import Severity
from procmap.i18n import N_, _

WORK_KINDS = frozenset({"task", "approval", "wait", "subprocess"})
_SPLITTERS = frozenset({"task", "wait", "subprocess", "start"})
_ODD_GATEWAYS = {
    "inclusiveGateway": N_("an inclusive gateway (every branch whose condition holds is "
                           "taken)"),
    "eventBasedGateway": N_("an event-based gateway (the first event to happen chooses "
                            "the branch)"),
    "complexGateway": N_("a complex gateway (a custom rule chooses the branches)"),
}


def normalise(model: Model) -> None:
    for process in model.processes:
        if not process.nodes:
            continue
        _fold_outcomes(process)
        _event_choices(process)
        _explicit_splits(model, process)
        _implicit_ends(model, process)
        _one_start(model, process)
        _fold_merges(model, process)
        _drop_unreachable(model, process)
        _exit_loops(model, process)
        _report_odd_gateways(model, process)
        _default_roles(model, process)


def incoming(process: Process) -> Counter[str]:
    return Counter(f.target for n in process.nodes.values() for f in n.next)


def _note(model: Model, process: Process, node: Node | None, rule: tuple[str, Severity],
          message: str) -> None:
    line, column = (node.line, node.column) if node and node.line else (process.line, 1)
    model.report(rule, line, column, message, process=process.key,
                 step=node.key if node else None, bpmn_id=node.bpmn_id if node else None)


def _label(node: Node) -> str:
    """How findings name an element: kind, name and BPMN id, as the reader does."""
    if not node.bpmn_id:
        return f"'{node.name}'" if node.name else _("the added {kind} step").format(
            kind=node.kind)
    return (f"{node.element} '{node.name}' ({node.bpmn_id})" if node.name
            else f"{node.element} {node.bpmn_id}")


def _fold_outcomes(process: Process) -> None:
    outcomes = {k for k, n in process.nodes.items() if n.outcome_of}
    if not outcomes:
        return
    sources_of: dict[str, list[Node]] = {k: [] for k in outcomes}
    for source in process.nodes.values():
        for target in dict.fromkeys(f.target for f in source.next if f.target in outcomes):
            sources_of[target].append(source)
    for key in [k for k in process.nodes if k in outcomes]:  # file order
        node, sources = process.nodes[key], sources_of[key]
        if len(sources) == 1 and sources[0].kind == "approval":
            sources[0].next = node.next
            del process.nodes[node.key]


def _event_choices(process: Process) -> None:
    """The branches of an event-based gateway are named by the events they wait for."""
    for node in process.nodes.values():
        if node.element == "eventBasedGateway":
            for flow in node.next:
                target = process.nodes.get(flow.target)
                if not flow.when and target is not None and target.name:
                    flow.when = target.name


def _add(process: Process, node: Node) -> Node:
    process.nodes[node.key] = node
    return node


def _explicit_splits(model: Model, process: Process) -> None:
    for node in list(process.nodes.values()):
        if node.restored or node.kind not in _SPLITTERS or len(node.next) < 2:
            continue
        conditional = any(f.conditional or f.default for f in node.next)
        kind, suffix = ("decision", "choice") if conditional else ("parallel", "split")
        split = _add(process, Node(f"{node.key}#{suffix}", kind, "", line=node.line,
                                   column=node.column, next=node.next, id_base=suffix,
                                   id_from=node.key))
        node.next = [Flow(split.key)]
        if conditional:
            _note(model, process, node, LOSSY, _(
                "{what} has {count} outgoing flows with conditions: in BPMN every flow "
                "whose condition holds is taken, procmap takes exactly one; they become "
                "the branches of a decision after it").format(what=_label(node),
                                                             count=len(split.next)))
        else:
            _note(model, process, node, NOTE, _(
                "{what} has {count} outgoing flows, which BPMN takes all at once: procmap "
                "adds the parallel step after it").format(what=_label(node),
                                                         count=len(split.next)))


def _implicit_ends(model: Model, process: Process) -> None:
    dead = [n for n in process.nodes.values() if n.kind != "end" and not n.next]
    if not dead:
        return
    end = _add(process, Node("#end", "end", "", id_base="end"))
    for node in dead:
        node.next = [Flow(end.key)]
    _note(model, process, None, NOTE, _(
        "{count} element(s) have no outgoing flow, which ends the path in BPMN: procmap "
        "leads them to a new end step ({names})").format(
            count=len(dead), names=", ".join(_label(n) for n in dead)))


def _one_start(model: Model, process: Process) -> None:
    starts = [n for n in process.nodes.values() if n.kind == "start"]
    if len(starts) == 1:
        return
    if starts:
        _merge_starts(model, process, starts)
    else:
        _add_start(model, process)


def _merge_starts(model: Model, process: Process, starts: list[Node]) -> None:
    """Several start events: one start step, leading to their common target or to a
    decision between them."""
    start = _add(process, Node("#start", "start", "", id_base="start"))
    targets = {f.target for old in starts for f in old.next}
    if len(targets) == 1:  # every start event leads to the same step
        start.next = [Flow(targets.pop())]
        effect = _("they all lead to the same step, so one start step replaces them")
    else:
        choice = _add(process, Node("#start-trigger", "decision", "",
                                    name="Which start?", id_base="start-trigger"))
        start.next = [Flow(choice.key)]
        for old in starts:
            data = {k: v for k, v in old.data.items() if k.startswith("x-")}
            choice.next.extend(Flow(f.target, when=old.name or old.key, data=dict(data))
                               for f in old.next)
        effect = _("they become the branches of the decision '{name}' after a new "
                   "start step").format(name=choice.name)
    for old in starts:
        del process.nodes[old.key]
    _note(model, process, starts[0], LOSSY, _(
        "the process has {count} start events ({names}); format 1 has one start: "
        "{effect}").format(count=len(starts), names=", ".join(_label(s) for s in starts),
                           effect=effect))


def _add_start(model: Model, process: Process) -> None:
    """No start event: a start step leading to the steps nothing leads to."""
    counts = incoming(process)
    roots = [n for n in process.nodes.values() if not counts[n.key]] or [
        next(iter(process.nodes.values()))]
    start = _add(process, Node("#start", "start", "", id_base="start"))
    if len(roots) == 1:
        start.next = [Flow(roots[0].key)]
    else:
        split = _add(process, Node("#start-split", "parallel", "", id_base="start-split",
                                   next=[Flow(r.key) for r in roots]))
        start.next = [Flow(split.key)]
    _note(model, process, None, NOTE, _(
        "the process has no start event: procmap adds one, leading to {names}").format(
            names=", ".join(_label(r) for r in roots)))


def _fold_merges(model: Model, process: Process) -> None:
    """Gateways with one way out disappear; chains of them too. Which ones is decided on
    the graph as it is (a parallel gateway with 2+ ways in is a join and stays), and
    again when merging duplicate transitions leaves a decision with one way out."""
    nodes = process.nodes
    folded: list[Node] = []
    while True:
        foldable = _foldable(process)
        if not foldable:
            break
        _reroute_past(nodes, foldable)
        folded.extend(nodes.pop(key) for key in [k for k in nodes if k in foldable])
        _merge_duplicates(model, process)
    if folded:
        shown = ", ".join(_label(n) for n in folded[:5])
        more = _(" and {count} more").format(count=len(folded) - 5) if len(folded) > 5 else ""
        _note(model, process, None, NOTE, _(
            "{count} gateway(s) only merged or passed the flow on and are left out, since "
            "format 1 merges implicitly: {names}").format(count=len(folded),
                                                          names=shown + more))


def _foldable(process: Process) -> set[str]:
    """The gateways with one way out that are not joins, less loops made only of them."""
    nodes = process.nodes
    counts = incoming(process)
    foldable = {k for k, n in nodes.items()
                if n.gateway and not n.restored and len(n.next) == 1
                and n.next[0].target != k
                and not (n.kind == "parallel" and counts[k] >= 2)}
    foldable -= _gateway_loops(nodes, foldable)  # a loop made only of them is kept
    return foldable


def _reroute_past(nodes: dict[str, Node], foldable: set[str]) -> None:
    """Flows into a foldable gateway lead where its chain ends, taking its label and data."""
    resolved: dict[str, _Through] = {}
    for node in nodes.values():
        if node.key in foldable:
            continue
        for flow in node.next:
            if flow.target in foldable:
                target, when, condition, data = _through(nodes, foldable, resolved,
                                                         flow.target)
                if not flow.when and when:
                    flow.when, flow.condition = when, condition
                for key, value in data.items():
                    flow.data.setdefault(key, value)
                flow.target = target


_Through = tuple[str, "str | None", "str | None", dict[str, Any]]


def _gateway_loops(nodes: dict[str, Node], foldable: set[str]) -> set[str]:
    """The foldable gateways that lie on a loop of foldable gateways only (linear: each
    gateway is walked once)."""
    state: dict[str, bool] = {}  # True: on the path being walked
    loops: set[str] = set()
    for key in foldable:
        path: list[str] = []
        current = key
        while current in foldable and current not in state:
            state[current] = True
            path.append(current)
            current = nodes[current].next[0].target
        if state.get(current):
            loops.update(path[path.index(current):])
        for walked in path:
            state[walked] = False
    return loops


def _through(nodes: dict[str, Node], foldable: set[str], resolved: dict[str, _Through],
             start: str) -> _Through:
    """Where a flow into the foldable gateway `start` ends up once the chain of foldable
    gateways is gone: the target, the first `when` (and condition) along the chain, and
    the data of its flows (nearer ones win). Memoised: linear over all flows."""
    chain: list[str] = []
    current = start
    while current in foldable and current not in resolved:
        chain.append(current)
        current = nodes[current].next[0].target
    result: _Through = resolved.get(current, (current, None, None, {}))
    for gateway in reversed(chain):
        out = nodes[gateway].next[0]
        target, when, condition, data = result
        if out.when:
            when, condition = out.when, out.condition
        result = (target, when, condition, {**data, **out.data})
        resolved[gateway] = result
    return result


def _merge_duplicates(model: Model, process: Process) -> bool:
    changed = False
    for node in process.nodes.values():
        seen: dict[str, Flow] = {}
        kept: list[Flow] = []
        for flow in node.next:
            first = seen.get(flow.target)
            if first is None:
                seen[flow.target] = flow
                kept.append(flow)
                continue
            labels = [w for w in (first.when, flow.when) if w]
            first.when = " / ".join(dict.fromkeys(labels)) or None
            if "probability" in first.data and "probability" in flow.data:
                first.data["probability"] += flow.data["probability"]
            changed = True
            _note(model, process, node, NOTE, _(
                "{what} has two flows to the same step: they become one transition"
                "{when}").format(what=_label(node),
                                 when=f" ({first.when})" if first.when else ""))
        node.next = kept
    return changed


def _report_odd_gateways(model: Model, process: Process) -> None:
    for node in process.nodes.values():
        what = _ODD_GATEWAYS.get(node.element)
        if what and len(node.next) >= 2:
            _note(model, process, node, LOSSY, _(
                "{element} is {what}: imported as a decision, where exactly one branch is "
                "taken").format(element=_label(node), what=_(what)))


def _default_roles(model: Model, process: Process) -> None:
    lacking = [n for n in process.nodes.values()
               if n.kind in WORK_KINDS and not n.restored and n.role is None]
    if not lacking:
        return
    role = process.pool_role or process.called_by_role or model.role_for_name(process.name)
    for node in lacking:
        node.role = role
    source = (_("of the enclosing sub-process's step") if process.pool_role
              else _("of the step that calls this process") if process.called_by_role
              else _("of the pool") if process.pooled else _("named after the process"))
    name = model.roles[role].name or role
    _note(model, process, None, NOTE, _(
        "{count} step(s) are outside any lane: they get the role '{name}' {source}").format(
            count=len(lacking), name=name, source=source))


def _successors(process: Process) -> dict[str, list[str]]:
    return {k: [f.target for f in n.next if f.target in process.nodes]
            for k, n in process.nodes.items()}


def _drop_unreachable(model: Model, process: Process) -> None:
    """Elements no path from the start reaches are disconnected in the BPMN file: format
    1 would reject them (`unreachable-step`), so they are left out, each named."""
    successors = _successors(process)
    starts = [k for k, n in process.nodes.items() if n.kind == "start"]
    seen = set(starts)
    pending = list(starts)
    while pending:
        for target in successors[pending.pop()]:
            if target not in seen:
                seen.add(target)
                pending.append(target)
    lost = [n for k, n in process.nodes.items() if k not in seen]
    for node in lost:
        del process.nodes[node.key]
        if node.bpmn_id:  # what procmap added for it goes silently
            _note(model, process, node, LOSSY, _(
                "{what} is not connected to the start (no sequence flow from the start "
                "reaches it): it is left out").format(what=_label(node)))
    for node in process.nodes.values():
        node.next = [f for f in node.next if f.target in process.nodes]


def _exit_loops(model: Model, process: Process) -> None:
    """A loop that no path leaves never ends in format 1 (`no-path-to-end`); in BPMN it
    is ended by a terminate end elsewhere, or runs until the process is cancelled. Each
    such loop gets a decision: go round again, or end."""
    while True:
        dead = _cannot_end(process)
        if not dead:
            return
        node = _on_a_cycle(process, dead)
        end = _add(process, Node(f"{node.key}#loop-end", "end", "", line=node.line,
                                 column=node.column, id_base="end", id_from=node.key))
        if node.kind == "decision":
            node.next.append(Flow(end.key, when="the process ends elsewhere"))
        else:
            exit_ = _add(process, Node(f"{node.key}#loop-exit", "decision", "",
                                       name="Go on?", role=node.role, line=node.line,
                                       column=node.column, id_base="exit",
                                       id_from=node.key))
            exit_.next = [Flow(f.target, when=f.when or "again", data=f.data)
                          for f in node.next]
            exit_.next.append(Flow(end.key, when="the process ends elsewhere"))
            node.next = [Flow(exit_.key)]
        _note(model, process, node, LOSSY, _(
            "{what} is in a loop that no path leaves (in BPMN a terminate end elsewhere, "
            "or cancelling the process, stops it): procmap adds a way out of the loop to "
            "a new end").format(what=_label(node)))


def _cannot_end(process: Process) -> set[str]:
    before: dict[str, list[str]] = {k: [] for k in process.nodes}
    for key, node in process.nodes.items():
        for flow in node.next:
            if flow.target in before:
                before[flow.target].append(key)
    ends = [k for k, n in process.nodes.items() if n.kind == "end"]
    seen = set(ends)
    pending = list(ends)
    while pending:
        for source in before[pending.pop()]:
            if source not in seen:
                seen.add(source)
                pending.append(source)
    return set(process.nodes) - seen


def _on_a_cycle(process: Process, dead: set[str]) -> Node:
    """A node on a cycle inside `dead` (every dead node has a dead successor), preferring
    one that is not a parallel gateway."""
    path: dict[str, int] = {}
    key = next(k for k in process.nodes if k in dead)
    while key not in path:
        path[key] = len(path)
        following = next((f.target for f in process.nodes[key].next if f.target in dead),
                         None)
        if following is None:  # cannot happen: every dead node has a dead successor
            return process.nodes[key]
        key = following
    cycle = [k for k, i in path.items() if i >= path[key]]
    return process.nodes[next((k for k in cycle if process.nodes[k].kind != "parallel"),
                              cycle[0])]
