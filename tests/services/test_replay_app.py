"""Export and replay from the app, against two real servers of the held-out graph: the
viewer's export (``x``) writes a script that was checked by a replay (or writes nothing and
says why), and the palette's "replay this thread to profile …" recreates the thread on the
other profile's deployment. The SDK is the oracle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.services.conftest import Pair, observed
from tests.support import said, type_text, until
from tui.app.app import ThreadloomApp
from tui.app.viewer.export import RangeExportScreen
from tui.config import ConnectionSpec, Profile, Settings
from tui.supersteps.files import load_script

START = {"updates": [{"as_node": "__input__", "values": {}}]}
UNRECORDED = [  # the `tools` update is not due: only the change of state records it
    START,
    {"updates": [{"as_node": "__start__",
                  "values": {"messages": [{"type": "human", "content": "hi"}]}}]},
    {"updates": [{"as_node": "tools", "values": {"messages": [
        {"type": "ai", "content": "written by tools"}], "log": ["t"]}}]},
]


def notes(app: ThreadloomApp) -> list[str]:
    return [str(n.message) for n in said(app)]


def palette_hits(app: ThreadloomApp) -> str:
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found:
        return ""
    options = found.first()
    return " | ".join(str(options.get_option_at_index(i).prompt).lower()
                      for i in range(options.option_count))


def make_app(pair: Pair) -> ThreadloomApp:
    settings = Settings(profiles={"source": Profile(url=pair.source),
                                  "target": Profile(url=pair.target)})
    return ThreadloomApp(ConnectionSpec(url=pair.source, profile="source"), settings=settings)


async def open_in_viewer(pilot: Pilot[Any], app: ThreadloomApp, thread_id: str) -> None:
    await until(pilot, lambda: app.connection.state == "connected" and app.panes_ready,
                "the app to connect")
    app.select_thread(thread_id)
    viewer = app.query_one("#viewer")
    await until(pilot, lambda: getattr(viewer, "data", None) is not None
                and viewer.data.thread_id == thread_id  # type: ignore[attr-defined]
                and viewer.data.history_loaded, "the thread in the viewer")  # type: ignore[attr-defined]
    viewer.current_view().focus()  # type: ignore[attr-defined]
    await pilot.pause()


async def test_viewer_export_is_checked_and_names_the_file(
    heldout: Pair, sdk_a: Any, sdk_b: Any, tmp_path: Path
) -> None:
    original = sdk_a.threads.create(metadata={"graph_id": "agent"},
                                    supersteps=UNRECORDED)["thread_id"]
    target = tmp_path / "export.json"
    app = make_app(heldout)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await open_in_viewer(pilot, app, original)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, RangeExportScreen), "the export dialog")
        field = app.screen.query_one("#export-path", Input)
        assert Path(field.value).is_absolute()  # the default names a whole path
        field.value = str(target)
        await pilot.pause()
        assert f"Writes: {target}" in str(app.screen.query_one("#export-where").render())
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("Saved 3 supersteps" in n for n in notes(app)),
                    "the export to be written")
        assert any(str(target) in n for n in notes(app))
    body = load_script(target).to_body()
    replayed = sdk_b.threads.create(metadata=body["metadata"],
                                    supersteps=body["supersteps"])["thread_id"]
    assert observed(sdk_b, replayed) == observed(sdk_a, original)


async def test_viewer_export_of_a_real_interrupt_writes_nothing(
    heldout: Pair, sdk_a: Any, tmp_path: Path
) -> None:
    original = sdk_a.threads.create(metadata={"graph_id": "agent"})["thread_id"]
    sdk_a.runs.wait(original, "agent", input={"messages": [
        {"type": "human", "content": "please approve"}]})
    target = tmp_path / "never.json"
    app = make_app(heldout)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await open_in_viewer(pilot, app, original)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, RangeExportScreen), "the export dialog")
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("Nothing was written" in n for n in notes(app)),
                    "the refusal")
        refusal = next(n for n in notes(app) if "Nothing was written" in n)
        assert "approve waits at an interrupt()" in refusal
    assert not target.exists()


async def test_replay_to_another_profile_from_the_palette(
    heldout: Pair, sdk_a: Any, sdk_b: Any
) -> None:
    original = sdk_a.threads.create(metadata={"graph_id": "agent"},
                                    supersteps=UNRECORDED)["thread_id"]
    before = {t["thread_id"] for t in sdk_b.threads.search(limit=1000)}
    app = make_app(heldout)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await open_in_viewer(pilot, app, original)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "replay this thread to profile target")
        await until(pilot, lambda: "replay this thread to profile target" in palette_hits(app),
                    "the palette entry", timeout=10)
        await pilot.press("enter")
        await until(pilot, lambda: any("Replayed thread" in n for n in notes(app)),
                    "the replay")
    created = [t["thread_id"] for t in sdk_b.threads.search(limit=1000)
               if t["thread_id"] not in before]
    assert len(created) == 1
    assert any(created[0] in n for n in notes(app))
    assert observed(sdk_b, created[0]) == observed(sdk_a, original)


async def test_editor_loads_a_thread_as_a_checked_script(heldout: Pair, sdk_a: Any) -> None:
    from tui.app.editor.file_dialogs import ThreadExportScreen as EditorExport

    original = sdk_a.threads.create(metadata={"graph_id": "agent"},
                                    supersteps=UNRECORDED)["thread_id"]
    app = make_app(heldout)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await open_in_viewer(pilot, app, original)
        editor = app.query_one("#editor")
        editor.focus()
        await pilot.press("2", "e")
        await until(pilot, lambda: isinstance(app.screen, EditorExport), "the export dialog")
        assert app.screen.query_one("#export-thread", Input).value == original
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("Loaded thread" in n for n in notes(app)),
                    "the script in the editor")
        script = editor.script  # type: ignore[attr-defined]
    assert [[u.as_node for u in s.updates] for s in script.supersteps] == [
        ["__input__"], ["__start__"], ["tools"]]
