"""Fixtures of the end-to-end tests: headless Chromium (from tests/e2e/browser.py)."""

from tests.e2e.browser import chromium  # noqa: F401  (a fixture, found by pytest through this conftest)
