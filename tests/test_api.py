"""The public API: one list (lstm_examples/__init__.pyi), every name real, loaded lazily."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lstm_examples

STUB = Path(lstm_examples.__file__).with_suffix(".pyi")


def _stub_names() -> list[str]:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    return [
        alias.name for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names
    ]


def test_every_public_name_resolves_to_its_submodule():
    names = _stub_names()
    assert sorted(lstm_examples.__all__) == sorted([*names, "__version__"])
    for name in names:
        value = getattr(lstm_examples, name)
        assert value is not None, name
    assert set(names) <= set(dir(lstm_examples))


def test_stub_reexports_each_name_under_its_own_name():
    """`from .x import a as a`: the form type checkers treat as a re-export."""
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            assert node.level == 1, ast.unparse(node)
            assert all(alias.asname == alias.name for alias in node.names), ast.unparse(node)


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="nope"):
        _ = lstm_examples.nope


def test_importing_the_package_loads_no_keras():
    code = "import sys, lstm_examples; print('keras' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_api_page_documents_exactly_the_exports():
    """The API pages (docs/reference/api*.md) have one autodoc directive per exported name,
    under its module, and no name twice."""
    pages = sorted((Path(__file__).resolve().parents[1] / "docs" / "reference").glob("api*.md"))
    assert [page.name for page in pages] == ["api-outputs.md", "api-weights.md", "api.md"]
    documented = [
        found
        for page in pages
        for found in re.findall(
            r"^\.\. auto\w+:: lstm_examples\.(\w+)\.(\w+)$", page.read_text(), re.MULTILINE
        )
    ]
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    exported = [
        (node.module, alias.name)
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]
    assert sorted(documented) == sorted(exported)
