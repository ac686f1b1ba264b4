"""The generated code, run for real: the curl snippet in bash, the Python snippet with the real
``langgraph_sdk`` and the JS snippet with the real ``@langchain/langgraph-sdk`` (from the npm
registry, see ``tests/supersteps/jssdk.py``) in node, against the test server, each compared
with the thread the editor creates from the same script (its create call,
``tui.services.create``) — and each run as shown with no API key in the environment
and with one, through a recording proxy in front of the real server that shows which
``x-api-key`` reached it.

Compared through the official SDK: values (message ids left out: the server makes them), the
next nodes and the length of the history.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.scripts import COMMAND_GOTO, END_STEP, GREETING, SEVERAL_IN_ONE, TOOL_CALL, meta
from tests.supersteps.jssdk import Recorder, run_js
from tui.deployment import DeploymentClient
from tui.services.create import create_from_script
from tui.supersteps.codegen import to_curl, to_js, to_python
from tui.supersteps.model import Script

SCRIPTS = {
    "greeting": GREETING,
    "tool_call": TOOL_CALL,
    "several_in_one": SEVERAL_IN_ONE,
    "command_goto": COMMAND_GOTO,
    "end_step": END_STEP,
}
KEY_ENV = "LANGGRAPH_API_KEY"  # what the editor names when the profile names none
KEY = "not-checked-by-the-local-server"
NO_KEY = {k: v for k, v in os.environ.items()
          if k not in ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY")}
ENV = {**NO_KEY, KEY_ENV: KEY}


def comparable(values: Any) -> Any:
    if isinstance(values, dict) and isinstance(values.get("messages"), list):
        return {**values, "messages": [{k: v for k, v in m.items() if k != "id"}
                                       for m in values["messages"]]}
    return values


async def snapshot(sdk: Any, thread_id: str) -> tuple[Any, Any, int, Any]:
    state = await sdk.threads.get_state(thread_id)
    history = await sdk.threads.get_history(thread_id, limit=100)
    thread = await sdk.threads.get(thread_id)
    return comparable(state["values"]), state["next"], len(history), thread["metadata"]


def run_curl(code: str, env: dict[str, str] = ENV) -> str:
    done = subprocess.run(["bash", "-c", code], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["thread_id"])


def run_python(code: str, tmp_path: Path, env: dict[str, str] = ENV) -> str:
    file = tmp_path / "create_thread.py"
    file.write_text(code)
    done = subprocess.run([sys.executable, str(file)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


RUNNERS = {
    "curl": lambda code, js_dir, tmp_path, env: run_curl(code, env),
    "python": lambda code, js_dir, tmp_path, env: run_python(code, tmp_path, env),
    "js": lambda code, js_dir, tmp_path, env: run_js(code, js_dir, env),
}
GENERATORS = {"curl": to_curl, "python": to_python, "js": to_js}


@pytest.mark.parametrize("name", list(SCRIPTS))
async def test_generated_code_creates_what_the_editor_creates(
    name: str, server_url: str, client: DeploymentClient, sdk: Any, tmp_path: Path,
    js_sdk_dir: Path,
) -> None:
    script = Script.from_body({"metadata": meta(example=name), "supersteps": SCRIPTS[name]})

    by_editor = (await create_from_script(client, script.to_body())).thread_id
    by_curl = run_curl(to_curl(script, server_url, KEY_ENV))
    by_python = run_python(to_python(script, server_url, KEY_ENV), tmp_path)
    by_js = run_js(to_js(script, server_url, KEY_ENV), js_sdk_dir, ENV)

    expected = await snapshot(sdk, by_editor)
    assert len({by_editor, by_curl, by_python, by_js}) == 4
    assert await snapshot(sdk, by_curl) == expected
    assert await snapshot(sdk, by_python) == expected
    assert await snapshot(sdk, by_js) == expected
    assert expected[3] == {"graph_id": "agent", "example": name}


@pytest.mark.parametrize("key", [None, KEY], ids=["no key", "a key"])
@pytest.mark.parametrize("language", list(GENERATORS))
async def test_each_snippet_runs_as_shown_with_and_without_a_key(
    language: str, key: str | None, recorder: Recorder, sdk: Any, tmp_path: Path,
    js_sdk_dir: Path,
) -> None:
    """The code the editor shows (``x``), pasted as is: against a server without auth and no
    key set it creates the thread and sends no key; with the key set it sends it."""
    script = Script.from_body({"metadata": meta(example=f"{language}-{bool(key)}"),
                               "supersteps": GREETING})
    code = GENERATORS[language](script, recorder.url, KEY_ENV)
    recorder.seen.clear()

    thread_id = RUNNERS[language](code, js_sdk_dir, tmp_path, ENV if key else NO_KEY)

    assert [(method, path) for method, path, _ in recorder.seen] == [("POST", "/threads")]
    assert recorder.seen[0][2].get("x-api-key") == key
    assert (await snapshot(sdk, thread_id))[0]["messages"][-1]["content"] == \
        "Hello! How can I assist you today?"
    assert KEY not in code


async def test_python_code_carries_thread_options(
    server_url: str, sdk: Any, tmp_path: Path
) -> None:
    thread_id = "0b8f6a47-3c1e-4f43-9e64-7d4f1bb0c0de"
    script = Script.from_body({"thread_id": thread_id, "if_exists": "do_nothing",
                               "metadata": meta(), "supersteps": GREETING})

    first = run_python(to_python(script, server_url, KEY_ENV), tmp_path)
    again = run_python(to_python(script, server_url, KEY_ENV), tmp_path)  # do_nothing

    assert first == again == thread_id
    # Measured: with supersteps, "do_nothing" returns the existing thread but still applies
    # the supersteps to it again (validate warns about it).
    assert len(await sdk.threads.get_history(thread_id, limit=100)) == 6
