"""Fixtures of the end-to-end tests: headless Chromium (tests/e2e/browser.py) and the shared whole-graph build
(tests/e2e/whole_graph_run.py)."""

from tests.e2e.browser import chromium  # noqa: F401  (fixtures, found by pytest through this conftest)
from tests.e2e.whole_graph_run import built, instance, whole_graph  # noqa: F401
