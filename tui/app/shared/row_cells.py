"""One-line table cells and how a row of them is drawn (rich segments only, no Textual): the
part of :class:`~tui.app.shared.row_table.RowTable` a test can run without an app."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style


class OneLineCell:
    """The base of a cell drawn as one line: ``plain`` (its text, already safe: shown as is),
    ``style`` (a style name), ``ellipsis`` (a cut shows as "…"). A class, not a Protocol: the
    check runs for every cell painted, and a Protocol's isinstance is slow."""

    __slots__ = ()
    plain: str
    style: str
    ellipsis: bool

    @property
    def width(self) -> int:
        return cell_len(self.plain.expandtabs(8))


class Label(OneLineCell):
    """A header's cell."""

    __slots__ = ("ellipsis", "plain", "style")

    def __init__(self, plain: str) -> None:
        self.plain, self.style, self.ellipsis = plain, "", False


def draw_cells(cells: Sequence[OneLineCell], widths: Sequence[int], pre: Style, post: Style,
               get_style: Callable[[str], Style], padding: int = 1) -> list[Segment]:
    """The segments of one row: each cell's text padded, cut to its width (with "…" where the
    cell says so, as rich's Text cuts), then filled. The text goes out as it is: no markup is
    read, nothing is interpreted — a cell's ``plain`` must already be terminal-safe.
    ``pre``: the row's style, ``post``: a style that wins over the cell's own (the cursor's
    colour)."""
    pad = " " * padding
    pad_style = pre + post
    segments: list[Segment] = []
    for cell, inner in zip(cells, widths, strict=True):
        text = cell.plain
        if "\t" in text:
            text = text.expandtabs(8)
        if cell_len(text) > inner:
            text = (set_cell_size(text, inner - 1) + "…" if cell.ellipsis and inner > 1
                    else set_cell_size(text, inner))
        fill = inner - cell_len(text)
        segments.append(Segment(pad, pad_style))
        if text:
            segments.append(Segment(text, pre + get_style(cell.style) + post if cell.style
                                    else pad_style))
        if fill:
            segments.append(Segment(" " * fill, pad_style))
        segments.append(Segment(pad, pad_style))
    return segments


@dataclass
class Column:
    """A column: its key, its label, its text's width in cells (without the padding)."""

    key: str
    label: str
    width: int
