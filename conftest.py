"""Test-wide setup, and the one way tests are gated: pytest markers.

``pytest`` alone runs the unit tests and the doctests of ``lstm_examples`` (and the
README's example). Each folder below needs something a plain test environment lacks;
its tests carry that folder's marker and run only when the marker is selected with
``-m`` (the Nox session that provides the need does it). Otherwise the folder is not
imported at all and is reported as one skipped test that says what it needs.

TensorFlow reads the variables below when it is first imported, so they are set here,
before any test module imports Keras.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression

ROOT = Path(__file__).resolve().parent


# The docs tooling's package (lstm_site) holds settings that tests in every folder share:
# its top level imports only the standard library, so where it is not installed (the
# `tests` session's environment) it is imported from this tree. The gated folders'
# conftest.py files import it too, and pytest loads them even where it skips the folder.
try:
    import lstm_site
except ModuleNotFoundError:
    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    import lstm_site

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
for _name, _value in lstm_site.TENSORFLOW_QUIET.items():
    os.environ.setdefault(_name, _value)

#: folder -> (marker, what it needs)
MARKER_GATES: dict[str, tuple[str, str]] = {
    "tests/docs": ("docs", "a built site and the docs tooling: run `nox -s docs`"),
    "docs/_ext": ("docs", "the docs tooling (lstm-states-site): run `nox -s docs`"),
    "tests/reader": ("reader", "a built site and a reader's environment: run `nox -s reader`"),
    "tests/site": ("site", "the built site and Chromium: run `nox -s site-tests`"),
    "tests/gpu": ("gpu", "an NVIDIA GPU: run `nox -t gpu`"),
    "tests/torch": ("torch", "PyTorch: run `nox -s torch-parity`"),
}


def _gate(path: Path) -> tuple[str, str] | None:
    try:
        relative = path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return None
    for folder, gate in MARKER_GATES.items():
        if relative == folder or relative.startswith(f"{folder}/"):
            return gate
    return None


def _selected(config: pytest.Config, marker: str) -> bool:
    """Whether ``-m`` asks for the tests that carry ``marker`` (and no other gate's).

    Such tests must match the expression, and the marker must be why: ``docs`` and
    ``docs or reader`` select ``docs``; ``not docs`` does not, and neither does
    ``not reader``, which the docs tests match without asking for them.
    """
    expression = config.getoption("markexpr") or ""
    if not expression:
        return False
    compiled = Expression.compile(expression)

    def matches(present: bool) -> bool:
        return compiled.evaluate(lambda name, /, **kwargs: present and name == marker)

    return matches(True) and not matches(False)


class _Gated(pytest.Directory):
    """A folder whose marker is not selected: one skipped item, its reason, no imports."""

    reason = ""

    def collect(self) -> Iterator[pytest.Item]:
        yield _GatedItem.from_parent(self, name=self.path.name)


class _GatedItem(pytest.Item):
    def runtest(self) -> None:
        folder = self.path.relative_to(ROOT).as_posix()
        pytest.skip(f"{folder} needs {self.parent.reason}")  # type: ignore[union-attr]

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{self.path.name} (needs {self.parent.reason})"  # type: ignore[union-attr]


def pytest_collect_directory(path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    gate = _gate(path)
    if gate is None or _selected(parent.config, gate[0]):
        return None
    # only the gated folder itself, not each of its subfolders
    if _gate(path.parent) == gate:
        return None
    collector = _Gated.from_parent(parent, path=path)
    collector.reason = gate[1]
    return collector


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by these markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        gate = _gate(item.path)
        if gate is not None and not isinstance(item, _GatedItem):
            item.add_marker(gate[0])
