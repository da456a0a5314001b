"""The Action Plan tab as data, read from the one ribbon source (``macros/customUI.xml``) for the web add-in.

The desktop workbook's ribbon is the source of truth for the buttons: their order, groups, labels, tips and
icons. The add-in's manifest, its task pane and its icons are all generated from what this module reads, so a
button added to ``customUI.xml`` appears in both editions, and a test compares them button for button.

A button's ``tag`` is ``key`` or ``key|ask``: the Python function it runs and what the desktop asks for first
(a plan, a folder, where to save the report). On the web there are no file dialogs, so each button that asks
is either an upload (the files go up from the task pane) or a download (what it makes comes back as a file);
``WEB_FILES`` says which, and a button that asks for something not listed there stops the server from starting.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..core.errors import InputError

CUSTOM_UI_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"


@dataclass(frozen=True)
class Upload:
    """Files a button reads, uploaded from the task pane."""

    what: str  # what the files are, for the task pane: "plan", "returns"
    many: bool
    accept: str  # the file picker's filter (the content is what is checked, never the name)


@dataclass(frozen=True)
class Download:
    """A file a button makes, offered for download."""

    name: str  # the file's name; "{book}" is replaced by the workbook's name without its extension
    zipped: bool  # the button writes a folder of files, offered as one zip


WEB_FILES: dict[str, Upload | Download] = {
    "import_plan": Upload("plan", many=False, accept=".docx,.txt,.csv,.xlsx"),
    "consolidate_returns": Upload("returns", many=True, accept=".xlsx"),
    "issue_returns": Download("{book} returns.zip", zipped=True),
    "chase_returns": Download("{book} reminders.zip", zipped=True),
    "reissue_return": Download("{book} return.zip", zipped=True),
    "board_report": Download("Board report.docx", zipped=False),
}


@dataclass(frozen=True)
class RibbonButton:
    id: str  # the control's id in customUI.xml, kept as the add-in control's id
    key: str  # the Python button it runs (``ragbook.ribbon.BUTTONS``)
    asks: str  # what the desktop asks for first ("" when nothing)
    label: str
    screentip: str
    supertip: str
    image: str  # the desktop's imageMso name
    group: str  # the id of its group

    @property
    def files(self) -> Upload | Download | None:
        return WEB_FILES.get(self.key)


@dataclass(frozen=True)
class RibbonGroup:
    id: str
    label: str
    buttons: tuple[RibbonButton, ...]


@dataclass(frozen=True)
class Ribbon:
    tab_id: str
    tab_label: str
    groups: tuple[RibbonGroup, ...]

    @property
    def buttons(self) -> tuple[RibbonButton, ...]:
        return tuple(button for group in self.groups for button in group.buttons)

    def button(self, key: str) -> RibbonButton | None:
        return next((b for b in self.buttons if b.key == key), None)


def parse_ribbon(xml: bytes, source: str = "customUI.xml") -> Ribbon:
    """The first tab of a ``customUI.xml``, with its groups and buttons in order."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise InputError(f"{source}: is not well-formed XML ({exc}).") from None
    tab = root.find(f"{CUSTOM_UI_NS}ribbon/{CUSTOM_UI_NS}tabs/{CUSTOM_UI_NS}tab")
    if tab is None:
        raise InputError(f"{source}: has no ribbon tab.")
    groups = []
    for group in tab.findall(f"{CUSTOM_UI_NS}group"):
        buttons = []
        for control in group.findall(f"{CUSTOM_UI_NS}button"):
            key, _, asks = (control.get("tag") or "").partition("|")
            label = control.get("label") or ""
            buttons.append(RibbonButton(control.get("id") or "", key, asks, label, control.get("screentip") or label,
                                        control.get("supertip") or "", control.get("imageMso") or "",
                                        group.get("id") or ""))
        groups.append(RibbonGroup(group.get("id") or "", group.get("label") or "", tuple(buttons)))
    ribbon = Ribbon(tab.get("id") or "", tab.get("label") or "", tuple(groups))
    _check(ribbon, source)
    return ribbon


def _check(ribbon: Ribbon, source: str) -> None:
    for button in ribbon.buttons:
        if not button.id or not button.key or not button.label:
            raise InputError(f"{source}: a button of group {button.group!r} has no id, tag or label.")
        if button.asks and button.files is None:
            raise InputError(f"{source}: button {button.id!r} asks for a {button.asks}, which the web edition "
                             f"cannot ask for; say in ragbook.server.ribbon.WEB_FILES whether it uploads or downloads.")


def ribbon_source() -> tuple[bytes, str]:
    """The ribbon XML: ``macros/customUI.xml`` of the checkout this runs from, else the packaged workbook's copy
    (built from that very file, and checked to be in step with it)."""
    from ..io.xlsm.build import find_macros_folder  # noqa: PLC0415
    from ..io.xlsm.package import ribbon_of  # noqa: PLC0415
    from ..io.xlsm.template import packaged_template  # noqa: PLC0415

    try:
        folder = find_macros_folder()
    except InputError:
        xml = ribbon_of(packaged_template())
        if xml is None:
            raise InputError("The packaged ActionPlan.xlsm has no ribbon; reinstall ragbook.") from None
        return xml, "the packaged ActionPlan.xlsm"
    return (folder / "customUI.xml").read_bytes(), "macros/customUI.xml"


def load_ribbon() -> Ribbon:
    xml, source = ribbon_source()
    return parse_ribbon(xml, source)
