"""The thread list's pure parts: search parsing, relative times, previews, row cells."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console
from rich.style import Style

from tui.app.shared.row_table import draw_cells
from tui.app.threads.filters import QueryError, ThreadQuery, parse_search
from tui.app.threads.thread_previews import PreviewReads
from tui.app.threads.thread_rows import cells, preview_text, relative
from tui.deployment.models import Thread
from tui.safe import is_safe
from tui.services.ids import short_id

NOW = datetime(2026, 1, 2, 12, 0, 0, tzinfo=UTC)
ID = "01a21226-98a6-750f-9327-ff70ce718dd2"


def test_a_full_thread_id_becomes_the_ids_filter() -> None:
    ids, metadata, status = parse_search(f"  {ID} ")
    assert ids == (ID,) and metadata == {} and status is None
    # without dashes or in capitals it is the same id
    assert parse_search(ID.replace("-", "").upper())[0] == (ID,)


def test_metadata_values_are_json_when_they_parse_else_text() -> None:
    _, metadata, _ = parse_search(
        'graph_id=agent n=3 ok=true none=null nested={"a": 1, "b": [1, 2]} quoted="7" '
        "text='1' sp=\"two words\""
    )
    assert metadata == {
        "graph_id": "agent", "n": 3, "ok": True, "none": None, "nested": {"a": 1, "b": [1, 2]},
        "quoted": "7", "text": "1", "sp": "two words",
    }


def test_a_value_that_is_no_finite_json_number_is_text() -> None:
    """``210429e72104`` (a hex marker) would read as 210429 x 10^72104: infinity, which no
    metadata holds and JSON cannot carry."""
    _, metadata, _ = parse_search("suite=210429e72104 big=-1e999 n=1e3 c=NaN")
    assert metadata == {"suite": "210429e72104", "big": "-1e999", "n": 1000.0, "c": "NaN"}


def test_status_and_errors() -> None:
    assert parse_search("status:Busy")[2] == "busy"
    with pytest.raises(QueryError, match="status is one of"):
        parse_search("status:sleepy")
    with pytest.raises(QueryError, match="'hello'"):
        parse_search("hello")
    with pytest.raises(QueryError, match="quote is not closed"):
        parse_search('a="open')
    assert parse_search("") == ((), {}, None)


def test_query_arguments_and_local_matching() -> None:
    query = ThreadQuery().with_text("graph_id=agent status:idle")
    assert query.search_args() == {
        "ids": None, "metadata": {"graph_id": "agent"}, "status": "idle",
        "sort_by": "created_at", "sort_order": "desc",
    }
    assert query.count_args() == {"metadata": {"graph_id": "agent"}, "status": "idle"}
    thread = Thread(thread_id=ID, status="idle", metadata={"graph_id": "agent", "x": 1})
    assert query.matches(thread)
    assert not query.matches(thread.model_copy(update={"status": "busy"}))
    assert not ThreadQuery().with_text("x=true").matches(thread)  # 1 is not true
    assert ThreadQuery().with_text(ID).matches(thread)
    assert not ThreadQuery().with_text(ID.replace("d2", "d3")).matches(thread)
    assert ThreadQuery().describe() == "sort: created ↓"


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (timedelta(seconds=-5), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=3, seconds=10), "3m ago"),
        (timedelta(hours=2, minutes=59), "2h ago"),
        (timedelta(days=5, hours=1), "5d ago"),
        (timedelta(days=30), "2025-12-03"),
    ],
)
def test_relative_times_use_coarse_buckets(delta: timedelta, shown: str) -> None:
    assert relative(NOW - delta, NOW) == shown


def test_relative_time_without_a_date() -> None:
    assert relative(None, NOW) == "—"


def test_preview_of_each_content_shape_the_server_returns() -> None:
    # measured: a string, a list of content parts, or None (no messages / a copied thread)
    assert preview_text("hello") == "hello"
    assert preview_text(None) == ""
    parts = [{"type": "text", "text": "hi parts"}, {"type": "image_url", "image_url": {}}]
    assert preview_text(parts) == "hi parts ‹image_url›"
    assert preview_text({"odd": 1}) == '{"odd": 1}'


def test_short_id_is_the_random_end_of_the_id() -> None:
    assert short_id(ID) == "ce718dd2"


def test_cells_are_literal_and_terminal_safe() -> None:
    hostile = "[bold red]x[/] [/] [@click=app.quit]boom[/] \x1b[31mred\x1b]0;title\x07"
    thread = Thread(
        thread_id=ID, status="idle", metadata={"graph_id": hostile}, created_at=NOW,
        updated_at=NOW, extracted={"preview": hostile},
    )
    row = cells(thread, NOW)
    console = Console()
    for cell in (row[2], row[5]):  # drawn literally, in the cell's own style: no markup
        drawn = [s for s in draw_cells([cell], [cell.width], Style(), Style(),
                                       console.get_style, padding=0) if s.text]
        assert "".join(s.text for s in drawn) == cell.plain
        assert {str(s.style) for s in drawn} == {str(console.get_style(cell.style))}
    assert row[5].plain.startswith("[bold red]x[/] [/] [@click=app.quit]boom[/] ␛[31mred")
    assert all(is_safe(c.plain) for c in row)


def test_preview_reads_skip_threads_known_empty_until_they_change() -> None:
    def thread(n: int, preview: object = None, minutes: int = 0) -> Thread:
        extracted = {"preview": preview} if preview is not None else {}
        return Thread(thread_id=f"t{n}", status="idle", metadata={}, created_at=NOW,
                      updated_at=NOW + timedelta(minutes=minutes), extracted=extracted)

    reads = PreviewReads(per_load=3)
    rows = [thread(0, "hello"), thread(1), thread(2), thread(3), thread(4)]
    assert reads.wanted(rows) == ["t1", "t2", "t3"]  # the one with a preview is not read
    reads.empty.add(("t1", rows[1].updated_at))  # read: it has none
    assert reads.wanted(rows) == ["t2", "t3", "t4"]
    assert reads.wanted([thread(1, minutes=5)]) == ["t1"]  # it changed since: read again


def test_the_sort_order_and_status_keys_step_through_every_choice() -> None:
    query = ThreadQuery(metadata={"team": "red"})
    sorts = [query := query.next_sort() for _ in range(3)]
    assert [q.sort_by for q in sorts] == ["updated_at", "state_updated_at", "created_at"]
    assert query.metadata == {"team": "red"}  # the filters stay
    assert query.flipped().sort_order == "asc" and query.flipped().flipped() == query
    statuses = [query := query.next_status() for _ in range(5)]
    assert [q.status for q in statuses] == ["idle", "busy", "interrupted", "error", None]
