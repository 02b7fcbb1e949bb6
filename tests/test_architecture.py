"""The apps' imports run one way (the import-linter contract in pyproject.toml): an app imports
only the layers below it, and the apps of the top layer do not import each other. Imports inside
functions count as much as those at the top of a module."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest
from importlinter.application.app_config import settings as linter_settings
from importlinter.application.use_cases import SUCCESS, lint_imports
from importlinter.configuration import configure

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("sporskifte", cache_dir=None)


@pytest.fixture
def linted(graph):
    """Check the project's contract against the real graph plus the imports a test adds."""
    configure()

    class Builder:
        def build(self, *args: object, **kwargs: object) -> grimp.ImportGraph:
            return graph

    linter_settings.configure(GRAPH_BUILDER=Builder())

    def check(*added: tuple[str, str]):
        for importer, imported in added:
            graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
        try:
            # Prints the broken contract's imports, which pytest shows when a test fails.
            return lint_imports(
                str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True, is_debug_mode=True
            )
        finally:
            for importer, imported in added:
                graph.remove_import(importer=importer, imported=imported)

    yield check
    configure()


def test_the_apps_import_only_the_layers_below_them(linted):
    assert linted() == SUCCESS


def test_an_upward_import_inside_a_function_breaks_the_contract(linted, graph):
    # Lazy imports are edges of the graph like any other: this one is inside handle().
    assert graph.direct_import_exists(
        importer="sporskifte.accounts.management.commands.demo_accounts",
        imported="sporskifte.accounts.demo",
    )

    assert linted(("sporskifte.core.access", "sporskifte.referrals.models")) != SUCCESS


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("sporskifte.audit.services", "sporskifte.people.models"),  # a cycle: people audits
        ("sporskifte.fora.views", "sporskifte.concerns.models"),  # top-layer apps are independent
        ("sporskifte.referrals.views", "sporskifte.site.views"),  # the site sits above all apps
    ],
)
def test_a_new_cycle_between_apps_breaks_the_contract(linted, importer, imported):
    assert linted((importer, imported)) != SUCCESS
