"""No string is translated when a module is imported.

``gettext`` at module or class level runs once, in whatever language is active at import, and
every later request gets that language (the inbox tabs were Danish for Swedish users). Labels
made at import must be lazy (``gettext_lazy``); ``gettext`` belongs inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _eager_names(tree: ast.Module) -> set[str]:
    """Local names bound to an eager gettext (``from ... import gettext as _``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names |= {a.asname or a.name for a in node.names if a.name in EAGER}
    return names


class _ImportTimeCalls(ast.NodeVisitor):
    def __init__(self, names: set[str]) -> None:
        self.names, self.depth, self.found = names, 0, []

    def _nested(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _nested

    def visit_Call(self, node: ast.Call) -> None:
        if self.depth == 0 and isinstance(node.func, ast.Name) and node.func.id in self.names:
            self.found.append(node.lineno)
        self.generic_visit(node)


def import_time_translations(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _eager_names(tree)
    if not names:
        return []
    visitor = _ImportTimeCalls(names)
    visitor.visit(tree)
    return visitor.found


def test_the_scanner_finds_a_module_level_gettext(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from django.utils.translation import gettext as _\n"
        "TABS = {'new': _('New')}\n"
        "def f():\n    return _('Fine')\n"
    )
    assert import_time_translations(sample) == [2]


def test_no_module_translates_a_string_at_import_time():
    found = {
        str(path.relative_to(SRC)): lines
        for path in SRC.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        # Not makemessages' scratch copies of templates (``x.html.py``), which the catalogue
        # test writes beside the templates while this one may run on another worker.
        if len(path.suffixes) == 1
        if (lines := import_time_translations(path))
    }
    assert found == {}
