"""The add-in's ``manifest.xml``, generated from the ribbon (``macros/customUI.xml``), never written by hand.

The manifest is what the Microsoft 365 admin centre deploys: it names the server, the task pane and the
**Action Plan** tab. Each desktop button becomes an add-in button with the same id, label, tip and title, in the
same groups and order, with an icon drawn from it (``icons``). Every button runs a function of the add-in's
script (``FunctionName`` is the button's Python key): one that needs no file runs at once; one that reads or
makes files opens the task pane on its own panel. Two desktop details cannot be carried over: where the tab sits
(``insertAfterMso``; Excel places an add-in's tab itself) and the button size (Office chooses it).

The text is a Jinja template for xlwings Server's own ``/manifest`` route, which fills in the server's address
and the manifest's id for the environment (dev, prod...), and the Entra ID block when sign-in is on.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from xml.sax.saxutils import escape, quoteattr

from ..core.errors import InputError
from .ribbon import Ribbon

OFFICE_APP = "http://schemas.microsoft.com/office/appforoffice/1.1"
BT = "http://schemas.microsoft.com/office/officeappbasictypes/1.0"
OV = "http://schemas.microsoft.com/office/taskpaneappversionoverrides"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

ADDIN_NAME = "Action Plan"
ICONS = "ragbook/icons"  # under the server's static folder
MAX_RESID = 32  # Office's limit on a resource id
MAX_SHORT, MAX_LONG = 125, 250  # on a ShortString and a LongString

# Placeholders turned into the template's Jinja expressions once the XML is written.
BASE_URL, APP_URL, MANIFEST_ID, STATIC = "@@BASE_URL@@", "@@APP_URL@@", "@@MANIFEST_ID@@", "@@STATIC@@"
JINJA = {
    BASE_URL: "{{ base_url }}",
    APP_URL: "{{ base_url_with_app_path }}",
    MANIFEST_ID: "{{ manifest_id }}",
    STATIC: "{{ settings.static_url_path }}",
}
ENTRAID = (
    '{% if "entraid" in settings.auth_providers %}\n'
    "    <WebApplicationInfo>\n"
    "      <Id>{{ settings.auth_entraid_client_id }}</Id>\n"
    '      <Resource>api://{{ base_url_with_app_path|replace("https://", "") }}/'
    "{{ settings.auth_entraid_client_id }}</Resource>\n"
    "      <Scopes>\n        <Scope>openid</Scope>\n        <Scope>profile</Scope>\n      </Scopes>\n"
    "    </WebApplicationInfo>\n"
    "{% endif %}\n"
)


def icon_url(name: str, size: int) -> str:
    return f"{BASE_URL}{STATIC}/{ICONS}/{name}-{size}.png"


def icon_names(ribbon: Ribbon) -> dict[str, tuple[str, int]]:
    """Each icon's file stem: its initials' source (a label) and its group's position, for ``icons``."""
    names: dict[str, tuple[str, int]] = {"addin": (ADDIN_NAME, 0)}
    for position, group in enumerate(ribbon.groups):
        names[group.id] = (group.label, position)
        for button in group.buttons:
            names[button.id] = (button.label, position)
    return names


def _version() -> str:
    try:
        parts = [p for p in version("ragbook").split(".") if p.isdigit()][:4]
    except PackageNotFoundError:
        parts = []
    return ".".join((parts + ["0", "0", "0", "0"])[:4])


def manifest_template(ribbon: Ribbon) -> str:
    """The manifest, as the Jinja template xlwings Server's ``/manifest`` route renders."""
    strings = Strings()
    app = Node("OfficeApp", {"xmlns": OFFICE_APP, "xmlns:xsi": XSI, "xmlns:bt": BT,
                             "xsi:type": "TaskPaneApp"})
    for tag, text in (("Id", MANIFEST_ID), ("Version", _version()), ("ProviderName", "ragbook"),
                      ("DefaultLocale", "en-GB")):
        app.add(tag, text=text)
    app.add("DisplayName", DefaultValue=ADDIN_NAME)
    app.add("Description", DefaultValue="The Action Plan tab for a safeguarding partnership's master workbook, "
                                        "without Python on the PC.")
    app.add("IconUrl", DefaultValue=icon_url("addin", 32))
    app.add("HighResolutionIconUrl", DefaultValue=icon_url("addin", 64))
    app.add("SupportUrl", DefaultValue=f"{APP_URL}/taskpane.html")
    app.add("AppDomains").add("AppDomain", text=APP_URL)
    app.add("Hosts").add("Host", Name="Workbook")
    app.add("Requirements").add("Sets", DefaultMinVersion="1.1").add("Set", Name="SharedRuntime", MinVersion="1.1")
    app.add("DefaultSettings").add("SourceLocation", DefaultValue=f"{APP_URL}/taskpane.html")
    app.add("Permissions", text="ReadWriteDocument")

    # VersionOverrides declares its own default namespace: the xsi:type values inside it (Button,
    # ExecuteFunction...) name that namespace's types.
    overrides = app.add("VersionOverrides", **{"xmlns": OV, "xsi:type": "VersionOverridesV1_0"})
    host = overrides.add("Hosts").add("Host", **{"xsi:type": "Workbook"})
    host.add("Runtimes").add("Runtime", resid="Taskpane.Url", lifetime="long")
    desktop = host.add("DesktopFormFactor")
    desktop.add("FunctionFile", resid="Taskpane.Url")
    tab = desktop.add("ExtensionPoint", **{"xsi:type": "PrimaryCommandSurface"}).add("CustomTab", id=ribbon.tab_id)
    for group in ribbon.groups:
        element = tab.add("Group", id=group.id)
        element.add("Label", resid=strings.short(f"{group.id}.Label", group.label))
        _icon(element, group.id)
        for button in group.buttons:
            control = element.add("Control", **{"xsi:type": "Button", "id": button.id})
            control.add("Label", resid=strings.short(f"{button.id}.Label", button.label))
            tip = control.add("Supertip")
            tip.add("Title", resid=strings.short(f"{button.id}.Title", button.screentip))
            tip.add("Description", resid=strings.long(f"{button.id}.Tip", button.supertip or button.label))
            _icon(control, button.id)
            control.add("Action", **{"xsi:type": "ExecuteFunction"}).add("FunctionName", text=button.key)
    tab.add("Label", resid=strings.short(f"{ribbon.tab_id}.Label", ribbon.tab_label))

    resources = overrides.add("Resources")
    images = resources.add("bt:Images")
    for name in icon_names(ribbon):
        if name != "addin":
            for size in (16, 32, 80):
                images.add("bt:Image", id=f"{name}.{size}", DefaultValue=icon_url(name, size))
    resources.add("bt:Urls").add("bt:Url", id="Taskpane.Url", DefaultValue=f"{APP_URL}/taskpane.html")
    for kind, entries in (("bt:ShortStrings", strings.shorts), ("bt:LongStrings", strings.longs)):
        element = resources.add(kind)
        for resid, text in entries:
            element.add("bt:String", id=resid, DefaultValue=text)
    text = app.written()
    _refuse_template_syntax(text)
    for placeholder, expression in JINJA.items():
        text = text.replace(placeholder, expression)
    # The sign-in block goes last in VersionOverrides, after Resources, as the schema orders them.
    text = text.replace("  </VersionOverrides>", ENTRAID + "  </VersionOverrides>")
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text


class Node:
    """An element of the manifest: its tag (with its prefix, as written), attributes, text and children."""

    def __init__(self, tag: str, attributes: dict[str, str] | None = None, text: str | None = None) -> None:
        self.tag, self.attributes, self.text = tag, dict(attributes or {}), text
        self.children: list[Node] = []

    def add(self, tag: str, text: str | None = None, **attributes: str) -> Node:
        child = Node(tag, attributes, text)
        self.children.append(child)
        return child

    def written(self, level: int = 0) -> str:
        pad = "  " * level
        attributes = "".join(f" {name}={quoteattr(value)}" for name, value in self.attributes.items())
        if self.children:
            inner = "".join(child.written(level + 1) for child in self.children)
            return f"{pad}<{self.tag}{attributes}>\n{inner}{pad}</{self.tag}>\n"
        if self.text is not None:
            return f"{pad}<{self.tag}{attributes}>{escape(self.text)}</{self.tag}>\n"
        return f"{pad}<{self.tag}{attributes} />\n"


class Strings:
    """The manifest's labels and tips as resources, each id within Office's limit."""

    def __init__(self) -> None:
        self.shorts: list[tuple[str, str]] = []
        self.longs: list[tuple[str, str]] = []

    def short(self, resid: str, text: str) -> str:
        return self._add(self.shorts, resid, text, MAX_SHORT)

    def long(self, resid: str, text: str) -> str:
        return self._add(self.longs, resid, text, MAX_LONG)

    @staticmethod
    def _add(entries: list[tuple[str, str]], resid: str, text: str, limit: int) -> str:
        if len(resid) > MAX_RESID:
            raise InputError(f"customUI.xml: the id behind {resid!r} is too long for an add-in manifest "
                             f"(resource ids are at most {MAX_RESID} characters); shorten it.")
        if len(text) > limit:
            raise InputError(f"customUI.xml: {text[:40]!r}... is {len(text)} characters; an add-in manifest "
                             f"holds at most {limit} there; shorten it.")
        entries.append((resid, text))
        return resid


def _icon(parent: Node, name: str) -> None:
    icon = parent.add("Icon")
    for size in (16, 32, 80):
        icon.add("bt:Image", size=str(size), resid=f"{name}.{size}")


def _refuse_template_syntax(text: str) -> None:
    for token in ("{{", "{%", "{#"):
        if token in text:
            raise InputError(f"customUI.xml: {token!r} in a label or tip would be read as a template; remove it.")
