"""The thread table sizes itself without rich's per-cell measure, and its cells are not rich
Texts: the widths and scrollable size it computes must be the ones DataTable's own pass
computes for the same rows, and a cell must draw exactly as the same one-line Text.

No server: this compares two widgets fed the same cells (the list's own ``cells()``), including
wide characters, an emoji, control characters and an empty preview.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.renderables.styled import Styled
from textual.widgets import DataTable

from tui.app.textual_table import text_width
from tui.app.threads.thread_rows import COLUMNS, FIXED_WIDTH, Cell, cells
from tui.app.threads.thread_table import ThreadTable
from tui.deployment.models import Thread

NOW = datetime(2026, 1, 2, 12, 0, 0, tzinfo=UTC)
PREVIEWS = ["", "hello", "日本語のテキスト", "emoji 🎉 party", "tab\there", "x" * 300,
            "line one\nline two", "\x1b[31mred\x1b[0m", "[bold]not markup[/]"]


def _threads() -> list[Thread]:
    return [
        Thread.model_validate({
            "thread_id": f"01a21226-98a6-750f-9327-{i:012x}", "status": "idle",
            "metadata": {"graph_id": "agent"} if i % 2 else {},
            "created_at": (NOW - timedelta(hours=i)).isoformat(),
            "updated_at": (NOW - timedelta(minutes=i)).isoformat(),
            "extracted": {"preview": preview},
        })
        for i, preview in enumerate(PREVIEWS)
    ]


class Both(App[None]):
    def compose(self) -> ComposeResult:
        yield ThreadTable(id="ours")
        yield DataTable(id="plain")


def _fill(table: DataTable[Any], threads: list[Thread]) -> None:
    if isinstance(table, ThreadTable):  # the list's batch append
        table.add_rows_batch((t.thread_id, cells(t, NOW)) for t in threads)
        return
    for thread in threads:
        table.add_row(*cells(thread, NOW), key=thread.thread_id)


async def test_batch_rows_widths_and_size_match_datatables_own() -> None:
    app = Both()
    async with app.run_test(size=(160, 30)) as pilot:
        ours = app.query_one("#ours", ThreadTable)
        plain = app.query_one("#plain", DataTable)
        for table in (ours, plain):
            for key, label, width in COLUMNS:
                table.add_column(label, width=width, key=key)
        threads = _threads()
        _fill(ours, threads[:4])
        _fill(plain, threads[:4])
        await pilot.pause()
        _fill(ours, threads[4:])  # a second page widens the preview column
        _fill(plain, threads[4:])
        await pilot.pause()
        preview = ours.columns["preview"]  # type: ignore[index]
        assert not preview.auto_width  # the preview takes the room the other columns leave
        assert preview.width == ours.scrollable_content_region.width - FIXED_WIDTH
        preview.auto_width = True  # measured as DataTable measures, the rest must agree
        ours._require_update_dimensions = True
        ours._update_dimensions(ours.rows)
        widths = [c.get_render_width(ours) for c in ours.ordered_columns]
        assert widths == [c.get_render_width(plain) for c in plain.ordered_columns]
        assert widths[-1] == 2 + 200  # the preview is cut at 200 cells (thread_rows.cells)
        assert ours.virtual_size == plain.virtual_size
        assert ours.row_count == plain.row_count == len(threads)
        for index, thread in enumerate(threads):
            assert ours.get_row_index(thread.thread_id) == index
            assert [c.plain for c in ours.get_row_at(index)] == [
                c.plain for c in plain.get_row_at(index)]
        assert ours.cursor_coordinate == plain.cursor_coordinate
        ours.move_cursor(row=len(threads) - 1)
        assert ours.cursor_row == len(threads) - 1


def test_text_width_is_the_longest_line_in_cells() -> None:
    assert text_width(Text("")) == 0
    assert text_width(Text("日本")) == 4
    assert text_width(Text("ab\nlonger")) == 6


def _drawn(console: Console, cell: Any, width: int) -> list[tuple[str, Style | None]]:
    """A cell as DataTable draws it (textual's _render_cell), one (character, style) each."""
    options = console.options.update_dimensions(width, 1).update(no_wrap=True)
    lines = console.render_lines(
        Styled(Padding(cell, (0, 1)), pre_style=Style(bgcolor="blue"), post_style=Style(bold=True)),
        options,
    )
    return [(ch, seg.style) for line in lines for seg in line for ch in seg.text]


def test_a_cell_draws_exactly_as_the_same_one_line_text() -> None:
    console = Console(width=200, color_system="truecolor")
    for value in [*PREVIEWS, "", "  padded  ", "日本語" * 10]:
        for style in ("", "bold", "cyan", "dim", "bold magenta"):
            for width in (4, 10, 13, 40):
                cell = Cell(value, 200, style=style)
                assert _drawn(console, cell, width) == _drawn(console, cell.text(), width), (
                    value, style, width)


async def test_cells_are_painted_as_datatable_paints_them() -> None:
    """The table's own cell painter against DataTable's, on the same widget and rows, with and
    without the cursor and hover, at the widths the columns have and narrower ones."""
    app = Both()
    async with app.run_test(size=(160, 30)) as pilot:
        ours = app.query_one("#ours", ThreadTable)
        for key, label, width in COLUMNS:
            ours.add_column(label, width=width, key=key)
        _fill(ours, _threads())
        await pilot.pause()
        base = ours.rich_style
        checked = 0
        for row in range(ours.row_count):
            for column, spec in enumerate(ours.ordered_columns):
                for width in {spec.get_render_width(ours), 3, 9}:
                    for cursor, hover in ((False, False), (True, False), (False, True)):
                        ours._cell_render_cache.clear()
                        fast = ours._render_cell(row, column, base, width, cursor, hover)
                        ours._cell_render_cache.clear()
                        real = DataTable._render_cell(ours, row, column, base, width, cursor,
                                                      hover)
                        assert _chars(fast) == _chars(real), (row, column, width, cursor)
                        checked += 1
        assert checked > 100


def _chars(lines: list[list[Segment]]) -> list[tuple[str, Style | None]]:
    return [(ch, seg.style) for line in lines for seg in line for ch in seg.text]
