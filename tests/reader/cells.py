"""The code cells of a built page, as a reader sees them and as the copy button copies them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

# What sphinx-copybutton leaves out (docs/conf.py: copybutton_exclude).
EXCLUDED = ".linenos, .gp, .go"


@dataclass(frozen=True)
class Cell:
    code: str
    raises: bool  # tagged `raises-exception`: shown on purpose, expected to raise


def visible_cells(page: Path) -> list[Cell]:
    """The input of every code cell shown on a built page, in order, without prompts."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article") or soup
    cells = []
    for cell in article.select("div.cell"):
        pre = cell.select_one("div.cell_input pre")
        if pre is None:  # input hidden (remove-input)
            continue
        for junk in pre.select(EXCLUDED):
            junk.decompose()
        cells.append(Cell(pre.get_text(), "tag_raises-exception" in cell.get("class", [])))
    return cells
