"""The editor against the real server: a values key the graph's state does not have is warned
about where the user looks (the outline row and the problems list), from the graph's schemas;
and counts are said in the right number."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from tests.app.editor_support import EditorHost, wait_for
from tests.app.test_editor_pilot import SIZE, pinned, started, write_script
from tests.scripts import GREETING, meta
from tui.app.editor import SuperstepEditor


def problems_text(editor: SuperstepEditor) -> str:
    panel = editor.query_one("#problems-list", OptionList)
    return "\n".join(str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count))


async def test_a_values_key_the_graph_does_not_have_is_warned_about(
    server_url: str, tmp_path: Path
) -> None:
    steps = [*GREETING[:2], {"updates": [{"as_node": "call_model", "values": {"foo": 1}}]}]
    script = write_script(tmp_path / "foo.json", {"metadata": meta(), "supersteps": steps})
    app = EditorHost(server_url, script=script)
    async with app.run_test(size=SIZE) as pilot:
        editor = await started(pilot)
        await wait_for(pilot, lambda: editor.catalog.state_keys is not None,
                       what="the graph's schemas")
        await pilot.pause()

        assert pinned(editor)[(2, 0)] == "⚠"
        assert "The graph's state has no key 'foo' (it has messages, turns)" in \
            problems_text(editor)
        status = str(editor.query_one("#editor-status").render())
        assert "3 supersteps" in status


async def test_one_superstep_is_said_in_the_singular(server_url: str, tmp_path: Path) -> None:
    script = write_script(tmp_path / "one.json", {"metadata": meta(),
                                                  "supersteps": GREETING[:1]})
    app = EditorHost(server_url, script=script)
    async with app.run_test(size=SIZE) as pilot:
        editor = await started(pilot)

        status = str(editor.query_one("#editor-status").render())
        assert "1 superstep ·" in status
        assert "1 supersteps" not in status
