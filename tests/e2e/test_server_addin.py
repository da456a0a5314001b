"""The web add-in has the desktop ribbon's buttons, button for button: its manifest, task pane and scripts are
generated from macros/customUI.xml, and a real server serves them (with the icons the manifest names).

The ribbon is read here with ElementTree straight from customUI.xml, not through ragbook's own reader, so a
mistake in that reader cannot hide itself. What only real Office can show (that Excel accepts the manifest and
draws the tab) is not tested here; the manifest's structure follows Microsoft's add-in manifest schema.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest

from ragbook.core.errors import InputError
from ragbook.ribbon import BUTTONS
from ragbook.server.icons import png_size
from ragbook.server.manifest import manifest_template
from ragbook.server.options import MANIFEST_IDS
from ragbook.server.ribbon import parse_ribbon
from tests.helpers.officejs import start_server
from tests.helpers.paths import MACROS

CUI = "{http://schemas.microsoft.com/office/2006/01/customui}"
OV = "{http://schemas.microsoft.com/office/taskpaneappversionoverrides}"
BT = "{http://schemas.microsoft.com/office/officeappbasictypes/1.0}"
APP = "{http://schemas.microsoft.com/office/appforoffice/1.1}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def desktop_ribbon() -> list[dict]:
    """customUI.xml's groups and buttons, in order, as the desktop shows them."""
    tab = ET.parse(MACROS / "customUI.xml").getroot().find(f"{CUI}ribbon/{CUI}tabs/{CUI}tab")
    return [{"id": g.get("id"), "label": g.get("label"),
             "buttons": [{"id": b.get("id"), "label": b.get("label"), "title": b.get("screentip"),
                          "tip": b.get("supertip"), "key": b.get("tag").split("|")[0]}
                         for b in g.findall(f"{CUI}button")]}
            for g in tab.findall(f"{CUI}group")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("addin") / "state")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(server):
    with server.client() as http:
        yield http


@pytest.fixture(scope="module")
def manifest(client) -> ET.Element:
    response = client.get("/manifest.xml")
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_the_manifests_ribbon_is_customui_button_for_button(manifest):
    strings = {s.get("id"): s.get("DefaultValue") for s in manifest.iter(f"{BT}String")}
    tab = manifest.find(f".//{OV}CustomTab")
    assert strings[tab.find(f"{OV}Label").get("resid")] == "Action Plan"
    seen = []
    for group in tab.findall(f"{OV}Group"):
        buttons = []
        for control in group.findall(f"{OV}Control"):
            assert control.get(XSI_TYPE) == "Button"
            action = control.find(f"{OV}Action")
            assert action.get(XSI_TYPE) == "ExecuteFunction"
            buttons.append({"id": control.get("id"), "label": strings[control.find(f"{OV}Label").get("resid")],
                            "title": strings[control.find(f"{OV}Supertip/{OV}Title").get("resid")],
                            "tip": strings[control.find(f"{OV}Supertip/{OV}Description").get("resid")],
                            "key": action.find(f"{OV}FunctionName").text})
        seen.append({"id": group.get("id"), "label": strings[group.find(f"{OV}Label").get("resid")],
                     "buttons": buttons})
    assert seen == desktop_ribbon()
    assert [b["key"] for g in seen for b in g["buttons"]] == list(BUTTONS)


def test_every_icon_the_manifest_names_is_served_at_its_size(manifest, client):
    images = {i.get("id"): i.get("DefaultValue") for i in manifest.iter(f"{BT}Image") if i.get("DefaultValue")}
    urls = set()
    for owner in [*manifest.iter(f"{OV}Group"), *manifest.iter(f"{OV}Control")]:
        icon = owner.find(f"{OV}Icon")
        sizes = {int(image.get("size")): images[image.get("resid")] for image in icon.findall(f"{BT}Image")}
        assert set(sizes) == {16, 32, 80}  # what Office requires of a command's icon
        for size, url in sizes.items():
            response = client.get(urlparse(url).path)
            assert response.status_code == 200 and response.headers["content-type"] == "image/png", url
            assert png_size(response.content) == (size, size)
            urls.add(url)
    controls = [c.get("id") for c in manifest.iter(f"{OV}Control")]
    assert len({u for u in urls if "-32." in u}) == len(controls) + len(list(manifest.iter(f"{OV}Group")))
    for tag, size in (("IconUrl", 32), ("HighResolutionIconUrl", 64)):
        url = manifest.find(f"{APP}{tag}").get("DefaultValue")
        assert png_size(client.get(urlparse(url).path).content) == (size, size)


def test_the_manifest_points_at_this_server_with_ragbooks_own_id(manifest, server):
    assert manifest.find(f"{APP}Id").text == MANIFEST_IDS["prod"]
    assert manifest.find(f"{APP}AppDomains/{APP}AppDomain").text == server.url
    assert manifest.find(f"{APP}DefaultSettings/{APP}SourceLocation").get("DefaultValue") == server.url + "/taskpane.html"
    assert manifest.find(f".//{OV}Runtime").get("lifetime") == "long"  # the ribbon and the pane share one script
    assert manifest.find(f"{APP}Requirements/{APP}Sets/{APP}Set").get("Name") == "SharedRuntime"
    assert manifest.find(f".//{OV}WebApplicationInfo") is None  # sign-in is off on this server


class Panels(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.panels: list[dict] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "data-key" in attributes:
            self.panels.append({**attributes, "inputs": []})
        elif tag == "input" and self.panels:
            self.panels[-1]["inputs"].append(attributes)
        elif tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])


def test_the_task_pane_has_a_panel_per_button_and_pickers_where_files_go_up(client):
    page = client.get("/taskpane.html")
    assert page.status_code == 200
    parsed = Panels()
    parsed.feed(page.text)
    buttons = [b for g in desktop_ribbon() for b in g["buttons"]]
    assert [p["data-key"] for p in parsed.panels] == [b["key"] for b in buttons]
    assert [p["data-label"] for p in parsed.panels] == [b["label"] for b in buttons]
    kinds = {p["data-key"]: p["data-kind"] for p in parsed.panels}
    assert kinds == {"import_plan": "upload", "validate": "run", "apply_colours": "run", "issue_returns": "download",
                     "chase_returns": "download", "reissue_return": "download", "consolidate_returns": "upload",
                     "apply_decisions": "run", "refresh_summary": "run", "board_report": "download", "help": "run"}
    pickers = {p["data-key"]: p["inputs"] for p in parsed.panels if p["inputs"]}
    assert set(pickers) == {"import_plan", "consolidate_returns"}
    assert "multiple" in pickers["consolidate_returns"][0] and "multiple" not in pickers["import_plan"][0]
    assert "/static/ragbook/addin.js" in parsed.scripts


def test_the_add_ins_script_names_no_button_of_its_own(client):
    script = client.get("/static/ragbook/addin.js")
    assert script.status_code == 200
    assert "Office.actions.associate(panel.dataset.key" in script.text  # each ribbon button, from its panel
    for key in BUTTONS:
        assert not re.search(rf"\b{key}\b", script.text), key


def test_xlwings_server_offers_exactly_the_buttons_as_scripts(client):
    meta = client.get("/xlwings/custom-scripts-meta.json").json()
    assert sorted(m["function_name"] for m in meta) == sorted(BUTTONS)


def test_a_button_that_asks_for_what_the_web_cannot_ask_stops_the_server(tmp_path):
    xml = (MACROS / "customUI.xml").read_text("utf-8").replace('tag="validate"', 'tag="validate|colour"')
    with pytest.raises(InputError, match="asks for a colour"):
        parse_ribbon(xml.encode("utf-8"))


def test_the_manifest_refuses_what_office_would_refuse():
    xml = (MACROS / "customUI.xml").read_text("utf-8")
    long_tip = re.sub(r'supertip="A short how-to[^"]*"', 'supertip="' + "x" * 251 + '"', xml)
    assert long_tip != xml
    with pytest.raises(InputError, match="at most 250"):
        manifest_template(parse_ribbon(long_tip.encode("utf-8")))
    braces = xml.replace('label="Help" size', 'label="{{ Help }}" size')
    with pytest.raises(InputError, match="template"):
        manifest_template(parse_ribbon(braces.encode("utf-8")))
    ampersand = xml.replace('label="Help" size', 'label="Help &amp; tips" size')
    assert 'DefaultValue="Help &amp; tips"' in manifest_template(parse_ribbon(ampersand.encode("utf-8")))


def test_an_installed_server_reads_the_same_ribbon_from_the_packaged_workbook():
    """Installed from a wheel there is no macros/ folder: the ribbon comes from the packaged ActionPlan.xlsm,
    which is built from macros/customUI.xml (and checked to be in step with it)."""
    from ragbook.io.xlsm.package import ribbon_of  # noqa: PLC0415
    from tests.helpers.paths import PACKAGED  # noqa: PLC0415

    packaged = parse_ribbon(ribbon_of(PACKAGED.read_bytes()), "the packaged ActionPlan.xlsm")
    assert packaged == parse_ribbon((MACROS / "customUI.xml").read_bytes())
