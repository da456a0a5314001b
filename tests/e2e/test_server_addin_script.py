"""The add-in's own script (``/static/ragbook/addin.js``, as the server serves it) run in Node against the real
server, with stand-ins for what Office and the browser give it: the ribbon buttons it associates, the task
pane's panels (read from the served task pane), Office.js' ``Office`` object and xlwings' client, whose
``runPython`` here posts the workbook as the Office.js stand-in does and keeps the actions that come back.

It shows the script speaks the server's protocol: a ribbon button that needs no file runs at once; one that
needs files opens the task pane; a panel makes a job, uploads the chosen file, runs the button with the job and
the document's address, then removes the job, or offers what was made and downloads it; a refused upload shows
the server's sentence. Whether Excel itself runs the script so is verified only in real Office.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from ragbook.cli import cli
from tests.helpers.officejs import payload_of, replay, start_server
from tests.helpers.sheets import state

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

HARNESS = r"""
const fs = require("fs");
const vm = require("vm");
const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const results = { runs: [], completed: [], shown: 0, downloads: [], messages: {} };

function element(extra) {
  const classes = new Set();
  return Object.assign({
    textContent: "", children: [], listeners: {},
    classList: { add: (c) => classes.add(c), remove: (c) => classes.delete(c), contains: (c) => classes.has(c),
                 toggle: (c, on) => (on ? classes.add(c) : classes.delete(c)) },
    addEventListener(type, fn) { this.listeners[type] = fn; },
    appendChild(child) { this.children.push(child); return child; },
    remove() {}, scrollIntoView() {},
  }, extra || {});
}

const panels = input.panels.map((p) => {
  const parts = {
    "[data-run]": element({ disabled: false }),
    ".ragbook-message": element(),
    ".ragbook-downloads": element(),
  };
  if (p.kind === "upload") { parts["input[type=file]"] = element({ files: [], value: "" }); }
  return element({ dataset: { key: p.key, kind: p.kind, what: p.what, label: p.label },
                   querySelector: (selector) => parts[selector] || null, parts: parts });
});
const byKey = Object.fromEntries(panels.map((p) => [p.dataset.key, p]));
const links = [];

globalThis.window = { location: { origin: input.url } };
globalThis.document = {
  readyState: "complete",
  body: element(),
  getElementById: (id) => (id === "ragbook" ? { dataset: { appPath: "" } } : null),
  querySelectorAll: (selector) => (selector === ".ragbook-chosen"
    ? panels.filter((p) => p.classList.contains("ragbook-chosen")) : panels),
  addEventListener() {},
  createElement: (tag) => { const made = element({ tag: tag, click() { results.downloads.push(this.download); } });
                            if (tag === "a") { links.push(made); } return made; },
};
const associated = {};
globalThis.Office = {
  onReady: (callback) => callback(),
  actions: { associate: (name, fn) => { associated[name] = fn; } },
  addin: { showAsTaskpane: async () => { results.shown += 1; } },
  context: { document: { url: input.document } },
};
globalThis.xlwings = {
  runPython: async (options) => {
    const payload = JSON.parse(fs.readFileSync(input.payload, "utf8"));
    payload.args = options.args;
    const response = await fetch(input.url + "/xlwings/custom-scripts-call/" + options.scriptName, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
    results.runs.push({ script: options.scriptName, args: options.args, mode: options.errorDisplayMode,
                        status: response.status, body: await response.json() });
  },
};
const blobs = [];
URL.createObjectURL = (blob) => { blobs.push(blob); return "blob:ragbook-" + blobs.length; };
URL.revokeObjectURL = () => {};

vm.runInThisContext(fs.readFileSync(input.script, "utf8"));

function file(path, name) { return new File([fs.readFileSync(path)], name); }
async function settle() { for (let i = 0; i < 200 && panels.some((p) => p.parts["[data-run]"].disabled); i++) {
  await new Promise((resolve) => setTimeout(resolve, 50)); } }
async function clickRun(key) { byKey[key].parts["[data-run]"].listeners.click(); await new Promise((r) => setTimeout(r, 0)); await settle(); }

(async () => {
  results.associated = Object.keys(associated);
  await associated["validate"]({ completed: () => results.completed.push("validate") });
  await associated["import_plan"]({ completed: () => results.completed.push("import_plan") });
  results.chosen = panels.filter((p) => p.classList.contains("ragbook-chosen")).map((p) => p.dataset.key);

  await clickRun("import_plan");  // nothing chosen yet
  results.messages.nothing = byKey["import_plan"].parts[".ragbook-message"].textContent;

  byKey["import_plan"].parts["input[type=file]"].files = [file(input.bad, "plan.docx")];
  await clickRun("import_plan");
  results.messages.bad = byKey["import_plan"].parts[".ragbook-message"].textContent;
  results.messages.badIsError = byKey["import_plan"].parts[".ragbook-message"].classList.contains("ragbook-error");

  byKey["import_plan"].parts["input[type=file]"].files = [file(input.plan, input.planName)];
  await clickRun("import_plan");
  results.messages.imported = byKey["import_plan"].parts[".ragbook-message"].textContent;

  await clickRun("board_report");
  const offered = byKey["board_report"].parts[".ragbook-downloads"].children;
  results.offered = offered.map((item) => item.children[0].textContent);
  offered[0].children[0].listeners.click({ preventDefault() {} });
  for (let i = 0; i < 100 && blobs.length === 0; i++) { await new Promise((r) => setTimeout(r, 50)); }
  fs.writeFileSync(input.downloaded, Buffer.from(await blobs[0].arrayBuffer()));

  fs.writeFileSync(input.results, JSON.stringify(results));
  process.exit(0);
})().catch((error) => { console.error(error); process.exit(1); });
"""


class Panels(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.panels: list[dict] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "data-key" in found:
            self.panels.append({"key": found["data-key"], "kind": found["data-kind"], "what": found["data-what"],
                                "label": found["data-label"]})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("script") / "state")
    yield running
    running.stop()


def test_the_add_ins_script_drives_the_server_as_the_task_pane_and_ribbon_do(server, sample_master, sample, tmp_path):
    with server.client() as client:
        page = Panels()
        page.feed(client.get("/taskpane.html").text)
        (tmp_path / "addin.js").write_bytes(client.get("/static/ragbook/addin.js").content)
        jobs_before = set((server.state_dir / "jobs").iterdir())
    (tmp_path / "payload.json").write_text(json.dumps(payload_of(sample_master, name=sample_master.name)), "utf-8")
    bad = tmp_path / "plan.docx"
    bad.write_bytes(b"%PDF-1.7\n")
    document = "https://council.sharepoint.com/sites/lscp/ActionPlan.xlsx"
    inputs = {"url": server.url, "script": str(tmp_path / "addin.js"), "panels": page.panels, "document": document,
              "payload": str(tmp_path / "payload.json"), "plan": str(sample), "planName": sample.name,
              "bad": str(bad), "downloaded": str(tmp_path / "downloaded.docx"), "results": str(tmp_path / "out.json")}
    (tmp_path / "in.json").write_text(json.dumps(inputs), "utf-8")
    (tmp_path / "harness.js").write_text(HARNESS, "utf-8")
    ran = subprocess.run([NODE, str(tmp_path / "harness.js"), str(tmp_path / "in.json")], capture_output=True,
                         text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    results = json.loads((tmp_path / "out.json").read_text("utf-8"))

    assert results["associated"] == [p["key"] for p in page.panels]  # every ribbon button is associated
    assert results["completed"] == ["validate", "import_plan"]  # each ribbon press tells Office it is done
    assert results["shown"] == 1 and results["chosen"] == ["import_plan"]  # a file button opens its panel
    runs = {run["script"]: run for run in results["runs"]}
    assert runs["validate"]["args"] == ["", document] and runs["validate"]["mode"] == "alert"
    assert runs["validate"]["status"] == 200
    assert results["messages"]["nothing"] == "Choose the plan first."
    assert results["messages"]["bad"] == ("plan.docx: is a PDF; import reads .txt, .csv, .xlsx and .docx plans "
                                          "(save other formats as one of those first).")
    assert results["messages"]["badIsError"] is True
    imported = runs["import_plan"]
    assert imported["status"] == 200 and imported["mode"] == "taskpane" and imported["args"][1] == document
    assert results["messages"]["imported"] == ""

    # What came back is the import the command makes of the same plan.
    after = replay(sample_master, imported["body"]["actions"], tmp_path / "after.xlsx")
    assert after.alerts[0][0].startswith(f"Imported 18 actions of 'SCR Sam and Kyle' from {sample.name}")
    by_command = tmp_path / "cli.xlsx"
    shutil.copy(sample_master, by_command)
    assert CliRunner().invoke(cli, ["import", str(sample), "--into", str(by_command)]).exit_code == 0
    skip = {"Register": {"Last Updated"}}
    assert state(tmp_path / "after.xlsx", skip) == state(by_command, skip)

    assert results["offered"] == ["Download Board report.docx"] and results["downloads"] == ["Board report.docx"]
    assert Path(tmp_path / "downloaded.docx").read_bytes()[:2] == b"PK"
    # The upload's jobs were removed once their button had run; the board report's stays, to be downloaded.
    left = set((server.state_dir / "jobs").iterdir()) - jobs_before
    assert len(left) == 1 and (next(iter(left)) / "downloads" / "Board report.docx").is_file()
