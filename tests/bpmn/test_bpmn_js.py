"""procmap's BPMN opens in a real modeler: bpmn-js in headless Chromium.

Every example (alone, and all in one file) and a file full of hostile names are loaded
with the bpmn-js modeler's ``importXML``. The test asserts that bpmn-js reports no error
and no warning, that it can save the diagram again, and that every pool, lane, flow
node and sequence flow is where procmap's DI puts it (bounds and waypoints as read from
bpmn-js's ``elementRegistry``), with lanes in swimlane order and each node inside its
lane.

Needs Chromium (Debian package ``chromium``) and node/npm: bpmn-js is installed from
``tests/bpmn/js/package-lock.json`` with ``npm ci`` when ``node_modules`` is missing.
Chromium is driven with ``--dump-dom`` (no browser download, no driver library): the
page ``js/check.html`` writes its findings into the DOM as JSON.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from bpmn_helpers import NS
from test_bpmn_export import HOSTILE, workspace_of

from procmap.bpmn.export import to_bpmn
from procmap.model import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.network]  # network: npm ci (first use)

JS = Path(__file__).parent / "js"
BUNDLE = JS / "node_modules" / "bpmn-js" / "dist" / "bpmn-modeler.development.js"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium); "
                ".ci/run installs it")


@pytest.fixture(scope="module")
def bpmn_js() -> Path:
    """tests/bpmn/js with bpmn-js installed (npm ci on first use)."""
    if BUNDLE.exists():
        return JS
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        pytest.skip("node and npm are needed to install bpmn-js (Debian: apt-get install "
                    "nodejs npm)")
    command = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    done = subprocess.run(command, cwd=JS, capture_output=True, text=True, timeout=600,
                          check=False)
    if done.returncode != 0 or not BUNDLE.exists():
        pytest.fail(f"`npm ci` in {JS} failed ({done.returncode}): {done.stderr[-2000:]}")
    return JS


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(bpmn_js: Path, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[str, Path]]:
    """A local web server on 127.0.0.1 for check.html, bpmn-js and the files to check."""
    root = tmp_path_factory.mktemp("bpmn-js-site")
    shutil.copy(bpmn_js / "check.html", root / "check.html")
    (root / "node_modules").symlink_to(bpmn_js / "node_modules", target_is_directory=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def open_in_bpmn_js(site: tuple[str, Path], documents: dict[str, str]) -> dict[str, Any]:
    """Load each document in the bpmn-js modeler; what check.html reports, per file."""
    chromium = _chromium()
    base, root = site
    for name, text in documents.items():
        (root / name).write_text(text, encoding="utf-8")
    query = "&".join(f"file={name}" for name in documents)
    with tempfile.TemporaryDirectory(prefix="procmap-chromium-") as profile:
        done = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
             "--virtual-time-budget=60000", "--window-size=1600,1000", "--dump-dom",
             f"{base}/check.html?{query}"],
            capture_output=True, text=True, timeout=180, check=False)
    found = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.S)
    assert found, f"chromium printed no result ({done.returncode}): {done.stderr[-2000:]}"
    report = json.loads(html.unescape(found.group(1)))
    assert report.get("done"), report
    return dict(report["files"])


def _expected(xml: str) -> tuple[dict[str, tuple[float, ...]], dict[str, list[list[float]]],
                                 Any]:
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"))
    shapes = {}
    for shape in root.iter(f"{{{NS['bpmndi']}}}BPMNShape"):
        box = shape.find("dc:Bounds", NS)
        shapes[shape.get("bpmnElement")] = tuple(float(box.get(k))
                                                 for k in ("x", "y", "width", "height"))
    edges = {edge.get("bpmnElement"): [[float(p.get("x")), float(p.get("y"))]
                                       for p in edge.findall("di:waypoint", NS)]
             for edge in root.iter(f"{{{NS['bpmndi']}}}BPMNEdge")}
    return shapes, edges, root


def assert_as_drawn(xml: str, seen: dict[str, Any]) -> None:
    assert seen["ok"], seen.get("error")
    assert seen["warnings"] == []
    assert seen["saved"] > 0
    shapes, edges, root = _expected(xml)
    registry = {e["id"]: e for e in seen["elements"]}
    for element, (x, y, width, height) in shapes.items():
        drawn = registry[element]
        assert (drawn["x"], drawn["y"], drawn["width"], drawn["height"]) == pytest.approx(
            (x, y, width, height)), element
    for flow, points in edges.items():
        drawn_points = registry[flow]["waypoints"]
        assert [c for p in drawn_points for c in p] == pytest.approx(
            [c for p in points for c in p]), flow
    # names as written, lanes top to bottom in swimlane order, nodes inside their lane
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("id") in registry and \
                element.get("name"):
            assert registry[element.get("id")]["name"] == element.get("name")
    for process in root.findall("bpmn:process", NS):
        lanes = process.findall("bpmn:laneSet/bpmn:lane", NS)
        drawn = sorted((registry[lane.get("id")] for lane in lanes), key=lambda e: e["y"])
        assert [e["id"] for e in drawn] == [lane.get("id") for lane in lanes]
        for lane in lanes:
            band = registry[lane.get("id")]
            assert band["type"] == "bpmn:Lane"
            for ref in lane.findall("bpmn:flowNodeRef", NS):
                node = registry[ref.text]
                cx, cy = node["x"] + node["width"] / 2, node["y"] + node["height"] / 2
                assert band["x"] < cx < band["x"] + band["width"], ref.text
                assert band["y"] < cy < band["y"] + band["height"], ref.text


def test_exports_open_in_bpmn_js(examples: Workspace, site: tuple[str, Path]) -> None:
    documents = {f"{e.process.id}.bpmn": to_bpmn([e], examples) for e in examples.processes}
    documents["all-examples.bpmn"] = to_bpmn(examples.processes, examples)
    hostile = workspace_of(HOSTILE)
    documents["hostile.bpmn"] = to_bpmn(hostile.processes, hostile)
    seen = open_in_bpmn_js(site, documents)
    assert set(seen) == set(documents)
    for name, xml in documents.items():
        assert_as_drawn(xml, seen[name])
    # what a user sees: the approval, its outcome gateway and the lane names
    refund = {e["id"]: e for e in seen["refund-approval.bpmn"]["elements"]}
    assert refund["Step_approve-manager"]["type"] == "bpmn:UserTask"
    assert refund["Outcome_approve-manager"]["type"] == "bpmn:ExclusiveGateway"
    assert refund["Step_bank-transfer"]["type"] == "bpmn:IntermediateCatchEvent"
    assert refund["Lane_cs-agent"]["name"] == "客服专员"
