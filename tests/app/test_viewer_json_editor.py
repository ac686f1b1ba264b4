"""The reusable JSON editor: live validation with line and column, nothing typed is lost."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from tests.app.viewer_harness import wait_until
from tests.support import screen_text, type_text
from tui.app.shared.json_editor import JsonEditor


class EditorApp(App[None]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__()
        self.kwargs = kwargs
        self.events: list[JsonEditor.Changed | JsonEditor.Invalid] = []

    def compose(self) -> ComposeResult:
        yield JsonEditor(**self.kwargs)

    def on_mount(self) -> None:
        self.query_one(JsonEditor).focus()

    def on_json_editor_changed(self, event: JsonEditor.Changed) -> None:
        self.events.append(event)

    def on_json_editor_invalid(self, event: JsonEditor.Invalid) -> None:
        self.events.append(event)


async def test_starts_valid_and_reports_each_edit() -> None:
    app = EditorApp(value={"a": 1})
    async with app.run_test(size=(60, 12)) as pilot:
        editor = app.query_one(JsonEditor)
        assert editor.is_valid and editor.value == {"a": 1}
        assert "✓ valid JSON · object, 1 key" in screen_text(app)
        editor.text_area.move_cursor((1, 8))  # after the 1
        await pilot.press("2")
        assert isinstance(app.events[-1], JsonEditor.Changed)
        assert app.events[-1].value == {"a": 12}
        assert editor.value == {"a": 12}


async def test_invalid_text_is_kept_and_the_error_points_at_it() -> None:
    app = EditorApp(text='{\n  "a": 1\n}')
    async with app.run_test(size=(70, 12)) as pilot:
        editor = app.query_one(JsonEditor)
        editor.text_area.move_cursor((1, 10))
        await type_text(pilot, ' "b": 2')  # missing comma
        event = app.events[-1]
        assert isinstance(event, JsonEditor.Invalid)
        assert (event.error.line, event.error.column) == (2, 10)
        assert editor.text == '{\n  "a": 1 "b": 2\n}'  # nothing typed is lost
        assert editor.value == {"a": 1}  # the last valid value
        assert "✗ line 2, column 10: Expecting ',' delimiter" in screen_text(app)
        editor.text_area.move_cursor((0, 0))
        await pilot.press("ctrl+g")
        assert editor.text_area.cursor_location == (1, 9)
        await pilot.press("f9")  # cannot format invalid JSON: the text stays
        assert editor.text == '{\n  "a": 1 "b": 2\n}'
        editor.text_area.move_cursor((1, 8))
        await pilot.press("comma")
        assert editor.is_valid and editor.value == {"a": 1, "b": 2}


async def test_format_and_value_setter() -> None:
    app = EditorApp(text='{"b":[1,2],   "c":"ü"}')
    async with app.run_test(size=(60, 12)) as pilot:
        editor = app.query_one(JsonEditor)
        await pilot.press("f9")
        assert editor.text == '{\n  "b": [\n    1,\n    2\n  ],\n  "c": "ü"\n}'
        editor.value = [None, True]
        assert editor.text == "[\n  null,\n  true\n]"
        assert editor.validate_now() is None
        await wait_until(pilot, lambda: "list, 2 items" in screen_text(app), what="the status")


async def test_non_standard_constants_and_empty_text_are_errors() -> None:
    app = EditorApp(text="NaN")
    async with app.run_test(size=(60, 12)):
        editor = app.query_one(JsonEditor)
        assert editor.error is not None and "NaN" in editor.error.message
        editor.text = "   "
        assert editor.error is not None and editor.error.message.startswith("Empty")


async def test_hostile_text_in_the_status_line() -> None:
    app = EditorApp(text='{"[bold red]x[/]": \x1b[31m}')
    async with app.run_test(size=(80, 12), notifications=True) as pilot:
        await pilot.press("ctrl+g")
        assert not app.query_one(JsonEditor).is_valid
        assert app.is_running
