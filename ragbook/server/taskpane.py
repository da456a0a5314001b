"""The add-in's task pane, generated from the ribbon like the manifest: one panel per button, in its group.

A button that needs no file runs from its panel as from the ribbon. A button that reads files has a file picker
(one plan; any number of returns); one that makes files offers them for download when it has run. The page is a
Jinja template extending xlwings Server's own ``base.html`` (which loads Office.js and the xlwings client);
ragbook's script (``addin.js``) ties each ribbon button and each panel to its press.
"""

from __future__ import annotations

from html import escape

from ..core.errors import InputError
from .ribbon import Download, Ribbon, RibbonButton, Upload

INTRO = ("Each button does what it does on the desktop ribbon, on the workbook open here. Buttons that read "
         "files take them from this pane; buttons that make files offer them here to download. The workbook "
         "is sent to your organisation's Action Plan server while a button works, and the files you upload "
         "are removed from it after a while.")


def taskpane_template(ribbon: Ribbon) -> str:
    panels = "\n".join(_group(group.label, group.buttons) for group in ribbon.groups)
    text = f"""{{% extends "base.html" %}}
{{% block extra_head %}}
<link rel="stylesheet" href="{{{{ url_for('static', path='/ragbook/taskpane.css') }}}}" />
<script src="{{{{ url_for('static', path='/ragbook/addin.js') }}}}" defer></script>
{{% endblock extra_head %}}
{{% block content %}}
<main id="ragbook" class="ragbook p-2" data-app-path="{{{{ settings.app_path }}}}">
<h1 class="h5">{escape(ribbon.tab_label)}</h1>
<p class="small text-muted">{escape(INTRO)}</p>
{panels}
</main>
{{% endblock content %}}
"""
    return text


def _group(label: str, buttons: tuple[RibbonButton, ...]) -> str:
    return (f'<section class="ragbook-group mb-3"><h2 class="h6 border-bottom pb-1">{escape(label)}</h2>\n'
            + "\n".join(_panel(button) for button in buttons) + "\n</section>")


def _panel(button: RibbonButton) -> str:
    files = button.files
    kind = "upload" if isinstance(files, Upload) else "download" if isinstance(files, Download) else "run"
    for text in (button.label, button.supertip):
        if any(token in text for token in ("{{", "{%", "{#")):
            raise InputError(f"customUI.xml: {text[:40]!r} would be read as a template; remove the braces.")
    picker = ""
    if isinstance(files, Upload):
        many = " multiple" if files.many else ""
        picker = (f'<input class="form-control form-control-sm mb-1" type="file" accept="{escape(files.accept)}"'
                  f'{many} aria-label="{escape(files.what.capitalize())} to upload" />')
    what = escape(files.what) if isinstance(files, Upload) else ""
    hint = HINTS[kind].format(what=what)
    return (f'<div class="ragbook-panel mb-2" id="panel-{escape(button.key)}" data-key="{escape(button.key)}" '
            f'data-kind="{kind}" data-what="{what}" data-label="{escape(button.label)}">\n'
            f'<div class="fw-semibold">{escape(button.label)}</div>\n'
            f'<div class="small text-muted mb-1">{escape(button.supertip)}{hint}</div>\n'
            f'{picker}\n'
            f'<button type="button" class="btn btn-primary btn-sm" data-run="{escape(button.key)}">'
            f'{escape(button.label)}</button>\n'
            f'<div class="ragbook-message small mt-1" role="status" aria-live="polite"></div>\n'
            f'<ul class="ragbook-downloads small mt-1 mb-0"></ul>\n'
            f'</div>')


HINTS = {
    "run": "",
    "upload": " On the web: choose the {what} here first.",
    "download": " On the web: what it makes is offered here to download.",
}

CSS = """.ragbook-panel { padding: 0.4rem 0.5rem; border-radius: 0.25rem; }
.ragbook-chosen { outline: 2px solid #1f4e79; }
.ragbook-message.ragbook-error { color: #b00020; }
.ragbook-downloads:empty { display: none; }
"""
