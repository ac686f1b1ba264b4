"""The thread list's table draws what Textual's DataTable draws for the same rows, and moves
its cursor as a row table does.

No server: the list's own ``cells()`` for threads whose previews hold wide characters, an
emoji, a tab, a newline, terminal escapes and markup, shown side by side with a DataTable fed
the same cells as rich Texts (what the list showed before); every line is compared character
by character with its style, unfocused and focused, with the cursor on different rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import DataTable

from tui.app.shared.row_table import RowTable
from tui.app.threads.thread_rows import COLUMNS, FIXED_WIDTH, cells
from tui.app.threads.thread_store import ThreadRows, list_height
from tui.app.threads.thread_table import ThreadTable
from tui.deployment.models import Thread

NOW = datetime(2026, 1, 2, 12, 0, 0, tzinfo=UTC)
PREVIEWS = ["", "hello", "日本語のテキスト", "emoji 🎉 party", "tab\there", "x" * 300,
            "line one\nline two", "\x1b[31mred\x1b[0m", "[bold]not markup[/]"]


def _threads(count: int = len(PREVIEWS)) -> list[Thread]:
    return [
        Thread.model_validate({
            "thread_id": f"01a21226-98a6-750f-9327-{i:012x}", "status": "idle",
            "metadata": {"graph_id": "agent"} if i % 2 else {},
            "created_at": (NOW - timedelta(hours=i)).isoformat(),
            "updated_at": (NOW - timedelta(minutes=i)).isoformat(),
            "extracted": {"preview": PREVIEWS[i % len(PREVIEWS)]},
        })
        for i in range(count)
    ]


class Both(App[None]):
    CSS = """
    Screen { layout: horizontal; }
    ThreadTable, DataTable { width: 1fr; height: 1fr; overflow-x: hidden; }
    """

    def compose(self) -> ComposeResult:
        yield ThreadTable(id="ours")
        yield DataTable(id="plain", cursor_type="row")


def _chars(strip: Strip) -> list[tuple[str, str]]:
    """Each character with its style as text (DataTable's styles also carry mouse meta)."""
    return [(ch, str(seg.style or "")) for seg in strip for ch in seg.text]


async def _fill(app: Both, threads: list[Thread]) -> tuple[ThreadTable, DataTable[Any]]:
    ours = app.query_one("#ours", ThreadTable)
    plain: DataTable[Any] = app.query_one("#plain", DataTable)
    await app.workers.wait_for_complete()
    ours.add_rows((t.thread_id, cells(t, NOW)) for t in threads)
    preview = next(c.width for c in ours.columns if c.key == "preview")
    for key, label, width in COLUMNS:
        plain.add_column(label, width=width or preview, key=key)
    for thread in threads:
        plain.add_row(*(cell.text() for cell in cells(thread, NOW)), key=thread.thread_id)
    return ours, plain


def _lines(table: Any) -> list[list[tuple[str, str]]]:
    return [_chars(table.render_line(y)) for y in range(table.size.height)]


def _same(ours: list[list[Any]], plain: list[list[Any]]) -> str | None:
    """None when the two screens match, else where they first differ (for the message)."""
    for y, (a, b) in enumerate(zip(ours, plain, strict=True)):
        for x, (ca, cb) in enumerate(zip(a, b, strict=False)):
            if ca != cb:
                return f"line {y} column {x}: {ca!r} != {cb!r}"
        if len(a) != len(b):
            return f"line {y}: {len(a)} != {len(b)} cells"
    return None


async def test_the_table_draws_what_datatable_draws() -> None:
    app = Both()
    async with app.run_test(size=(200, 14)) as pilot:
        ours, plain = await _fill(app, _threads())
        await pilot.pause()
        # the preview takes what the fixed columns leave
        assert ours.columns[-1].width == ours.scrollable_content_region.width - FIXED_WIDTH
        checked = 0
        for cursor in (0, 3, len(PREVIEWS) - 1):
            ours.move_cursor(row=cursor)
            plain.move_cursor(row=cursor)
            for focused in (None, ours, plain):
                app.set_focus(focused)
                await pilot.pause()
                # the focused one is compared with the other focused in turn
                if focused is None:
                    difference = _same(_lines(ours), _lines(plain))
                    assert difference is None, (cursor, difference)
                    checked += 1
                elif focused is ours:
                    mine = _lines(ours)
                    app.set_focus(plain)
                    await pilot.pause()
                    assert _same(mine, _lines(plain)) is None, (cursor, _same(mine, _lines(plain)))
                    checked += 1
        assert checked == 6
        text = "".join(ch for ch, _ in _lines(ours)[1 + 7])  # the escapes' row
        assert "\x1b" not in text and "red" in text


async def test_cells_are_cut_to_their_column_with_an_ellipsis() -> None:
    app = Both()
    async with app.run_test(size=(240, 14)) as pilot:
        ours, plain = await _fill(app, _threads())
        app.set_focus(None)
        await pilot.pause()
        row = "".join(ch for ch, _ in _lines(ours)[1 + 5])  # "x" * 300
        assert row.rstrip().endswith("x…")
        assert _same(_lines(ours), _lines(plain)) is None


async def test_the_cursor_keys_move_and_scroll_and_name_the_row() -> None:
    highlighted: list[tuple[int, str]] = []
    selected: list[str] = []

    class Watch(Both):
        def on_row_table_row_highlighted(self, event: RowTable.RowHighlighted) -> None:
            highlighted.append((event.cursor_row, event.row_key))

        def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
            selected.append(event.row_key)

    app = Watch()
    threads = _threads(60)
    async with app.run_test(size=(160, 12)) as pilot:
        ours, _ = await _fill(app, threads)
        ours.focus()
        await pilot.pause()
        assert highlighted == [(0, threads[0].thread_id)]  # the first rows name row 0
        await pilot.press("down", "down")
        assert ours.cursor_row == 2 and highlighted[-1] == (2, threads[2].thread_id)
        await pilot.press("pagedown")
        assert ours.cursor_row == 2 + ours.visible_rows
        assert ours.scroll_y > 0  # the cursor stays in view
        await pilot.press("end")
        assert ours.cursor_row == 59 and ours.scroll_y == ours.max_scroll_y
        await pilot.press("down")
        assert ours.cursor_row == 59  # no row beyond the last
        await pilot.press("home")
        assert ours.cursor_row == 0 and ours.scroll_y == 0
        await pilot.press("enter")
        assert selected == [threads[0].thread_id]
        # a click on another row moves the cursor there; a click on the cursor's row opens it
        await pilot.click(ours, offset=(4, 3))
        await pilot.pause()
        assert ours.cursor_row == 2 and selected == [threads[0].thread_id]
        await pilot.click(ours, offset=(4, 3))
        assert selected == [threads[0].thread_id, threads[2].thread_id]
        await pilot.click(ours, offset=(4, 0))  # the header
        assert ours.cursor_row == 2


async def test_rows_are_replaced_updated_and_removed_by_key() -> None:
    app = Both()
    threads = _threads(30)
    async with app.run_test(size=(160, 12)) as pilot:
        ours, _ = await _fill(app, threads)
        await pilot.pause()
        ours.move_cursor(row=20)
        ours.remove_row(threads[5].thread_id)
        assert ours.row_count == 29
        assert ours.get_row_index(threads[6].thread_id) == 5
        assert ours.row_key_at(19) == threads[20].thread_id
        new = cells(_threads(40)[37], NOW)  # "hello"
        ours.update_row(threads[6].thread_id, new)
        await pilot.pause()
        assert ours.get_row_at(5)[-1].plain == new[-1].plain
        assert ours.cursor_row == 19  # the row it was on moved up with the removal
        ours.move_cursor(row=0)
        await pilot.pause()
        assert new[-1].plain in ours.render_line(1 + 5).text
        ours.clear()
        assert ours.row_count == 0 and ours.cursor_row == 0
        await pilot.pause()
        assert ours.render_line(1).text.strip() == ""
        with pytest.raises(ValueError, match="already"):
            ours.add_rows([("a", cells(threads[0], NOW)), ("a", cells(threads[1], NOW))])


async def test_thread_rows_keep_the_threads_and_the_table_in_step() -> None:
    """The list's plain ThreadRows, on a real table: each change is made to both."""
    app = Both()
    threads = _threads(5)
    async with app.run_test(size=(160, 12)) as pilot:
        table = app.query_one("#ours", ThreadTable)
        rows = ThreadRows(table, lambda: NOW)
        assert rows.replace(threads[:3] + threads[:1]) == threads[:3]  # a repeated row once
        assert rows.append(threads[2:]) == threads[3:]
        assert [table.row_key_at(i) for i in range(table.row_count)] == [
            t.thread_id for t in threads]
        assert rows.put_first(threads[3]) is False  # shown already: moved to the top
        assert rows.threads[0] is threads[3] and table.row_key_at(0) == threads[3].thread_id
        assert rows.selected is threads[3]
        renamed = threads[1].model_copy(update={"status": "busy", "extracted": None})
        assert rows.update(renamed) is True
        assert rows.by_id[renamed.thread_id].extracted == threads[1].extracted  # kept
        assert table.get_row_at(rows.threads.index(rows.by_id[renamed.thread_id]))[1].plain \
            == "busy"
        assert rows.drop(threads[4].thread_id) is True and rows.drop("nope") is False
        assert table.row_count == len(rows.threads) == 4
        assert rows.select(threads[2].thread_id) and rows.selected_id == threads[2].thread_id
        assert not rows.select(threads[4].thread_id)
        await pilot.pause()


def test_the_list_is_as_tall_as_its_rows_up_to_a_share_of_the_screen() -> None:
    assert list_height(0, 48) == 3 + 5  # three rows' room and the frame, even when empty
    assert list_height(10, 48) == 10 + 5
    assert list_height(1000, 48) == int(48 * 0.42)
    assert list_height(1000, 10) == 3 + 5  # a tiny screen still shows three rows


async def test_the_row_under_the_mouse_is_drawn_as_datatable_draws_it() -> None:
    app = Both()
    async with app.run_test(size=(200, 14)) as pilot:
        ours, plain = await _fill(app, _threads())
        app.set_focus(None)
        await pilot.pause()
        before = _lines(ours)
        await pilot.hover(ours, offset=(5, 3))  # the third row (under the header)
        await pilot.pause()
        mine = _lines(ours)
        await pilot.hover(plain, offset=(5, 3))
        await pilot.pause()
        theirs = _lines(plain)
        assert mine[3] != before[3] and mine[4] == before[4]  # that row, and only that one
        assert _same(mine, theirs) is None, _same(mine, theirs)
        await pilot.hover(ours, offset=(5, 0))  # the header: no row is hovered
        await pilot.pause()
        assert _lines(ours) == before


async def test_scrolling_near_the_last_row_asks_for_more() -> None:
    near: list[int] = []

    class Watch(Both):
        def on_thread_table_near_end(self, event: ThreadTable.NearEnd) -> None:
            near.append(1)

    app = Watch()
    async with app.run_test(size=(160, 12)) as pilot:
        ours, _ = await _fill(app, _threads(200))
        await pilot.pause()
        ours.scroll_to(y=50, animate=False)  # far from the end: nothing asked
        await pilot.pause()
        assert not near and ours.cursor_row == 0  # scrolling leaves the cursor where it is
        ours.scroll_to(y=ours.max_scroll_y - 10, animate=False)
        await pilot.pause()
        assert near
