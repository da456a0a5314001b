"""The layers' import rules, read from the source with ``ast`` (no ragbook module is imported here).

core is plain Python; app (the use cases and their ports) knows only core; io (the adapters) never reaches
back up into the use cases or the entry layers; the live adapter shares only io.sheets with the file adapter;
only the unit of work opens or creates a master file; the web edition (ragbook.server) is imported only by the
command that starts it, and only it imports the server extra's libraries; no two modules import each other at
module level; and no module grows past 400 lines.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ragbook"
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. ragbook.io.plans
    target: str  # the module imported, absolute, e.g. ragbook.io.master.workbook
    line: int
    top_level: bool  # executed when the module is imported (not inside a function, not under TYPE_CHECKING)

    def __str__(self) -> str:
        return f"{path_of(self.module)}:{self.line} imports {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def path_of(module: str) -> str:
    path = MODULES.get(module)
    return str(path.relative_to(ROOT)) if path else module.replace(".", "/") + ".py"


def is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py" if module in MODULES else False


def resolve(module: str, package: bool, level: int, name: str | None) -> str:
    """The absolute module a ``from ... import`` names: ``level`` dots, relative to ``module``."""
    if level == 0:
        return name or ""
    base = module.split(".") if package else module.split(".")[:-1]
    if level - 1 > len(base) - 1:
        raise ValueError(f"{path_of(module)}: relative import beyond the top-level package")
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_in(module: str, source: str, package: bool = False, known: dict[str, Path] | None = None) -> list[Import]:
    """Every import statement of ``source`` (the text of ``module``), resolved to absolute module names.

    ``from X import name`` imports X, and also X.name when that is a module of ``known`` (a submodule).
    """
    known = MODULES if known is None else known
    tree = ast.parse(source, filename=path_of(module))
    found: list[Import] = []

    def visit(node: ast.AST, top_level: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend(Import(module, alias.name, child.lineno, top_level) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = resolve(module, package, child.level, child.module)
                submodules = [f"{base}.{a.name}" for a in child.names if f"{base}.{a.name}" in known]
                if len(submodules) < len(child.names):  # a name that is not a submodule is an attribute of base
                    found.append(Import(module, base, child.lineno, top_level))
                found.extend(Import(module, s, child.lineno, top_level) for s in submodules)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, False)  # a deliberate lazy import: run only when the function is called
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for part in child.body:
                    visit(ast.Module(body=[part], type_ignores=[]), False)
                for part in child.orelse:
                    visit(ast.Module(body=[part], type_ignores=[]), top_level)
            else:
                visit(child, top_level)

    visit(tree, True)
    return found


IMPORTS: list[Import] = [
    i for name, path in MODULES.items() for i in imports_in(name, path.read_text(encoding="utf-8"), is_package(name))
]


def within(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def top(module: str) -> str:
    return module.split(".", 1)[0]


def outside_allowed(imports: list[Import], layer: str, allowed: tuple[str, ...]) -> list[str]:
    """Imports made by modules of ``layer`` of anything but the standard library and ``allowed``."""
    return [str(i) for i in imports
            if within(i.module, layer) and not within(i.target, *allowed) and top(i.target) not in STDLIB]


def listing(offences: list[str]) -> str:
    return "\n  " + "\n  ".join(offences)


# ---------------------------------------------------------------------------- the parser itself
def test_relative_imports_are_resolved_against_the_module_or_package():
    assert resolve("ragbook.io.plans", False, 1, "master.workbook") == "ragbook.io.master.workbook"
    assert resolve("ragbook.io.plans", False, 2, "core") == "ragbook.core"
    assert resolve("ragbook.io.returns", True, 1, "reader") == "ragbook.io.returns.reader"
    assert resolve("ragbook.io.returns.reader", False, 3, "core.errors") == "ragbook.core.errors"
    assert resolve("ragbook.app.plan", False, 1, None) == "ragbook.app"
    known = {"ragbook.app.ports": Path("x"), "ragbook.app": Path("y"), "ragbook.io.sheets.contract": Path("z")}
    found = imports_in("ragbook.app.plan", "from . import ports\nfrom ..io.sheets import contract as c\n"
                       "def later():\n    import openpyxl\n", known=known)
    assert [(i.target, i.line, i.top_level) for i in found] == [
        ("ragbook.app.ports", 1, True), ("ragbook.io.sheets.contract", 2, True), ("openpyxl", 4, False)]
    found = imports_in("ragbook.io.plans", "from .master.workbook import MasterWorkbook, blank_book\n", known=known)
    assert [(i.target, i.line) for i in found] == [("ragbook.io.master.workbook", 1)]


def test_every_module_of_the_package_is_read():
    assert "ragbook.core.model" in MODULES and "ragbook.io.plans" in MODULES and "ragbook" in MODULES
    assert any(i.target == "ragbook.core.model" for i in IMPORTS)


# ---------------------------------------------------------------------------- the layers
def test_core_imports_only_the_standard_library_and_core():
    offences = outside_allowed(IMPORTS, "ragbook.core", ("ragbook.core",))
    assert not offences, "ragbook.core must be plain Python:" + listing(offences)


def test_app_imports_only_the_standard_library_core_and_app():
    offences = outside_allowed(IMPORTS, "ragbook.app", ("ragbook.core", "ragbook.app"))
    assert not offences, ("ragbook.app talks to the world only through app.ports; it must not import io, "
                          "openpyxl, xlwings, docx, python_calamine, msoffcrypto, click or rich:" + listing(offences))


def test_the_app_rule_names_the_offending_module_and_line():
    """The rule above fails, naming file, line and module, when a use case imports an adapter or a library."""
    known = {"ragbook.io.plans": Path("p")}
    source = ("from __future__ import annotations\nfrom ..core.model import Register\nimport openpyxl\n"
              "from ..io.plans import FilePlans\n\ndef f():\n    import xlwings\n    from docx import Document\n")
    offences = outside_allowed(imports_in("ragbook.app.plan", source, known=known), "ragbook.app",
                               ("ragbook.core", "ragbook.app"))
    assert offences == ["ragbook/app/plan.py:3 imports openpyxl", "ragbook/app/plan.py:4 imports ragbook.io.plans",
                        "ragbook/app/plan.py:7 imports xlwings", "ragbook/app/plan.py:8 imports docx"]


FORBIDDEN_IN_IO = ("ragbook.app.plan", "ragbook.app.returns", "ragbook.app.reports", "ragbook.cli", "ragbook.ribbon",
                   "ragbook.server", "ragbook.present", "ragbook.commands")


def test_io_does_not_reach_up_into_the_use_cases_or_the_entry_layers():
    offences = [str(i) for i in IMPORTS if within(i.module, "ragbook.io") and within(i.target, *FORBIDDEN_IN_IO)]
    assert not offences, "ragbook.io may use core and app.ports only:" + listing(offences)


# The web edition (ragbook.server) is a third entry layer: it runs the ribbon's button functions behind xlwings
# Server, so it may import everything the ribbon may, and the ribbon itself; nothing imports it but the command
# that starts it (lazily, so that the command line works without the server extra); it never imports the CLI.
SERVER_LIBRARIES = ("fastapi", "starlette", "uvicorn", "xlwings_server", "httpx", "joserfc")


def test_the_web_edition_is_an_entry_layer_only_its_command_starts():
    offences = [str(i) for i in IMPORTS if within(i.target, "ragbook.server") and not within(i.module, "ragbook.server")
                and (i.module != "ragbook.cli.server" or i.top_level)]
    offences += [str(i) for i in IMPORTS if within(i.module, "ragbook.server") and within(i.target, "ragbook.cli")]
    assert not offences, ("only ragbook/cli/server.py imports ragbook.server, inside its command; the server never "
                          "imports the command line:" + listing(offences))


def test_only_the_web_edition_imports_the_server_libraries():
    offences = [str(i) for i in IMPORTS if top(i.target) in SERVER_LIBRARIES and not within(i.module, "ragbook.server")]
    # The package's front (its settings and the ribbon model) loads without them, for the command's own checks.
    offences += [str(i) for i in IMPORTS if top(i.target) in SERVER_LIBRARIES and i.top_level
                 and i.module in ("ragbook.server", "ragbook.server.options", "ragbook.server.ribbon")]
    assert not offences, "the server extra's libraries belong to ragbook.server only:" + listing(offences)


def test_the_live_adapter_does_not_import_the_file_adapter():
    offences = [str(i) for i in IMPORTS if within(i.module, "ragbook.io.live") and within(i.target, "ragbook.io.master")]
    assert not offences, "ragbook.io.live shares only io.sheets with the file adapter:" + listing(offences)


def _master_workbook_calls(module: str, source: str) -> list[str]:
    """Where ``source`` constructs, opens or creates a MasterWorkbook (under any name it was imported as)."""
    tree = ast.parse(source)
    names = {"MasterWorkbook"} | {
        alias.asname for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        for alias in node.names if alias.name == "MasterWorkbook" and alias.asname}

    def is_class(node: ast.expr) -> bool:
        return (isinstance(node, ast.Name) and node.id in names) or (
            isinstance(node, ast.Attribute) and node.attr in names)

    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if is_class(func):
            found.append(f"{path_of(module)}:{node.lineno} calls MasterWorkbook(...)")
        elif isinstance(func, ast.Attribute) and func.attr in {"open", "create"} and is_class(func.value):
            found.append(f"{path_of(module)}:{node.lineno} calls MasterWorkbook.{func.attr}")
    return found


def test_only_the_unit_of_work_opens_or_creates_a_master_file():
    offences = [
        call for name, path in MODULES.items()
        if name != "ragbook.io.plans" and not within(name, "ragbook.io.master")
        for call in _master_workbook_calls(name, path.read_text(encoding="utf-8"))
    ]
    assert not offences, ("open a master through io.plans.FilePlans (the xlsm builder starts from "
                          "master.workbook.blank_book()):" + listing(offences))
    assert _master_workbook_calls("ragbook.x", "from .w import MasterWorkbook as M\nM.open(p)\nM(p, b)\n") == [
        "ragbook/x.py:2 calls MasterWorkbook.open", "ragbook/x.py:3 calls MasterWorkbook(...)"]


# ---------------------------------------------------------------------------- cycles and size
def import_cycles(imports: list[Import]) -> list[list[str]]:
    """Strongly connected groups of ragbook modules importing each other at module level (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for i in imports:
        if i.top_level and within(i.target, "ragbook") and i.target != i.module:
            graph.setdefault(i.module, set()).add(i.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:  # recursion depth is bounded by the package's ~100 modules
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def describe_cycle(group: list[str], imports: list[Import]) -> str:
    members = set(group)
    edges = [str(i) for i in imports if i.top_level and i.module in members and i.target in members]
    return " <-> ".join(group) + listing(edges)


def test_no_import_cycle_at_module_level():
    cycles = import_cycles(IMPORTS)
    assert not cycles, "modules importing each other at module level:\n" + "\n".join(
        describe_cycle(group, IMPORTS) for group in cycles)


def test_the_cycle_finder_finds_a_cycle_and_ignores_lazy_imports():
    made = [Import("ragbook.a", "ragbook.b", 1, True), Import("ragbook.b", "ragbook.c", 1, True),
            Import("ragbook.c", "ragbook.a", 1, True), Import("ragbook.d", "ragbook.a", 1, True),
            Import("ragbook.a", "ragbook.d", 5, False)]
    assert import_cycles(made) == [["ragbook.a", "ragbook.b", "ragbook.c"]]
    assert import_cycles(made[:2] + made[3:]) == []


def test_no_module_is_longer_than_400_lines():
    long = [f"{path_of(name)}: {count} lines" for name, path in MODULES.items()
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not long, f"split modules longer than {MAX_LINES} lines:" + listing(long)


@pytest.mark.parametrize("name", ["openpyxl", "xlwings", "docx", "python_calamine", "msoffcrypto", "click", "rich"])
def test_third_party_libraries_are_not_mistaken_for_the_standard_library(name):
    assert name not in STDLIB
