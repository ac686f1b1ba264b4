"""``threadloom run`` against the real server on the demo graph (tools, and an interrupt() at
the email approval); the SDK checks what the thread holds afterwards. Nothing here depends on
the in-memory runtime: waits poll the server's own status, ids are read from the output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Result, Run, one_line_error
from tests.scripts import GREETING, meta
from tests.servers.proc import like_a_terminal
from tui.safe import is_safe

MISSING = "00000000-0000-4000-8000-000000000000"
ROOT = Path(__file__).resolve().parents[2]


def make(sync_sdk: Any, tag: str, supersteps: list[dict[str, Any]] | None = GREETING) -> str:
    thread = sync_sdk.threads.create(metadata=meta(tag=tag), supersteps=supersteps)
    return str(thread["thread_id"])


def contents(sync_sdk: Any, thread_id: str) -> list[str]:
    values = sync_sdk.threads.get_state(thread_id)["values"]
    return [m["content"] for m in values["messages"]]


def events(out: str) -> list[dict[str, Any]]:
    parsed = [json.loads(line) for line in out.splitlines()]
    assert all(isinstance(e, dict) and isinstance(e.get("event"), str) for e in parsed)
    return parsed


def of(kind: str, stream: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in stream if e["event"] == kind]


def err_line(result: Result) -> str:
    """A run that printed its events and failed: exactly one line on stderr, no traceback."""
    lines = result.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    return lines[0]


def wait_for_status(sync_sdk: Any, thread_id: str, status: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while sync_sdk.threads.get(thread_id)["status"] != status:
        assert time.monotonic() < deadline, f"thread {thread_id} never became {status}"
        time.sleep(0.1)


# -------------------------------------------------------------- a message run


def test_a_message_run_streams_the_nodes_tool_calls_and_answer(
    cli: Run, sync_sdk: Any, tag: str
) -> None:
    thread_id = make(sync_sdk, tag)

    result = cli("run", thread_id, "what is 6*7?")

    assert result.code == 0, result.err
    assert result.err == ""
    lines = result.out.splitlines()
    assert lines[0].startswith("run ") and lines[0].endswith(f" · agent on thread {thread_id}")
    assert lines[1:-1] == [
        "human: what is 6*7?",  # the thread's earlier messages are not printed again
        "▸ call_model",
        'ai: → calculator({"expression": "6*7"})',
        "▸ tools",
        "tool calculator: 42",
        "▸ call_model",
        "ai: The result is 42.",  # streamed token by token, then completed
    ]
    assert lines[-1].startswith("status: success · run ")
    assert contents(sync_sdk, thread_id) == [
        "hello", "Hello! How can I assist you today?", "what is 6*7?", "", "42",
        "The result is 42."]


def test_json_lines_carry_the_same_run(cli: Run, sync_sdk: Any, tag: str) -> None:
    thread_id = make(sync_sdk, tag)

    result = cli("run", thread_id, "--message", "what is 6*7?", "--json")

    assert result.code == 0, result.err
    stream = events(result.out)
    run, end = stream[0], stream[-1]
    assert run["event"] == "run" and run["thread_id"] == thread_id and run["if_busy"] == "reject"
    assert end == {"event": "end", "run_id": run["run_id"], "thread_id": thread_id,
                   "status": "success", "error": None, "interrupts": [], "exit_code": 0}
    assert [e["node"] for e in of("node", stream)] == ["call_model", "tools", "call_model"]
    assert [(c["name"], c["args"]) for c in of("tool_call", stream)] == [
        ("calculator", {"expression": "6*7"})]
    assert [(r["name"], r["text"], r["status"]) for r in of("tool_result", stream)] == [
        ("calculator", "42", "success")]
    answer = of("message", stream)[-1]
    assert answer["role"] == "ai" and answer["text"] == "The result is 42."
    tokens = [t for t in of("token", stream) if t["message_id"] == answer["message_id"]]
    assert len(tokens) > 1 and "".join(t["text"] for t in tokens) == "The result is 42."
    # The messages reported are the ones the thread now ends with, ids and all.
    state = sync_sdk.threads.get_state(thread_id)["values"]["messages"]
    assert [m["message_id"] for m in of("message", stream)] == [m["id"] for m in state[-4:]]
    assert [m["message"]["type"] for m in of("message", stream)] == ["human", "ai", "tool", "ai"]


def test_new_runs_on_a_thread_of_its_own(cli: Run, sync_sdk: Any) -> None:
    result = cli("run", "--new", "hello", "--json")

    assert result.code == 0, result.err
    stream = events(result.out)
    assert stream[0]["event"] == "thread" and stream[0]["created"] is True
    thread_id = stream[0]["thread_id"]
    assert stream[1]["event"] == "run" and stream[1]["thread_id"] == thread_id
    assert contents(sync_sdk, thread_id) == ["hello", "Hello! How can I assist you today?"]
    assert sync_sdk.threads.get(thread_id)["metadata"]["graph_id"] == "agent"


def test_input_json_from_a_file(cli: Run, sync_sdk: Any, tag: str, tmp_path: Path) -> None:
    thread_id = make(sync_sdk, tag)
    body = tmp_path / "input.json"
    body.write_text(json.dumps({"messages": [{"type": "human", "content": "hi there"}]}))

    result = cli("run", thread_id, "--input", f"@{body}")

    assert result.code == 0, result.err
    assert "ai: You said: hi there" in result.out.splitlines()
    assert contents(sync_sdk, thread_id)[-2:] == ["hi there", "You said: hi there"]


# -------------------------------------------------------------- interrupts


def test_an_interrupt_exits_5_with_its_payload_and_resume_finishes_the_run(
    cli: Run, sync_sdk: Any, tag: str
) -> None:
    thread_id = make(sync_sdk, tag)

    stopped = cli("run", thread_id, "send an email to ada@example.org")

    assert stopped.code == 5
    lines = stopped.out.splitlines()
    assert "▸ human_review" in lines
    waiting = next(line for line in lines if line.startswith("⏸"))
    assert waiting.startswith("⏸ waiting for a resume value at human_review: ")
    assert '"question": "Send an email to ada@example.org?"' in waiting
    assert err_line(stopped) == (
        "threadloom: the run stopped at human_review, waiting for a resume value: continue it "
        f"with threadloom run {thread_id} --resume VALUE")
    assert sync_sdk.threads.get(thread_id)["status"] == "interrupted"

    resumed = cli("run", thread_id, "--resume", "yes")

    assert resumed.code == 0, resumed.err
    lines = resumed.out.splitlines()
    assert "tool send_email: email sent to ada@example.org" in lines
    assert "ai: Done: email sent to ada@example.org" in lines
    assert sync_sdk.threads.get(thread_id)["status"] == "idle"
    assert contents(sync_sdk, thread_id)[-1] == "Done: email sent to ada@example.org"


def test_allow_interrupt_exits_0_and_json_shows_the_payload(
    cli: Run, sync_sdk: Any, tag: str
) -> None:
    thread_id = make(sync_sdk, tag)

    result = cli("run", thread_id, "send an email to bob@example.org", "--json",
                 "--allow-interrupt")

    assert result.code == 0, result.err
    stream = events(result.out)
    (interrupt,) = of("interrupt", stream)
    assert interrupt["node"] == "human_review"
    assert interrupt["value"]["question"] == "Send an email to bob@example.org?"
    assert interrupt["value"]["tool_call"]["name"] == "send_email"
    assert stream[-1]["interrupts"] == [{k: v for k, v in interrupt.items() if k != "event"}]
    assert stream[-1]["exit_code"] == 0 and stream[-1]["status"] == "success"

    declined = cli("run", thread_id, "--resume", "no", "--json")

    assert declined.code == 0, declined.err
    results = of("tool_result", events(declined.out))
    assert [r["text"] for r in results] == ["The user declined."]


def test_resume_on_a_thread_not_waiting_is_refused_before_sending(
    cli: Run, sync_sdk: Any, tag: str
) -> None:
    thread_id = make(sync_sdk, tag)

    result = cli("run", thread_id, "--resume", "yes")

    assert result.code == 1
    assert one_line_error(result) == (f"threadloom: nothing to resume: thread {thread_id} is "
                                      "not waiting at an interrupt (status idle)")
    assert sync_sdk.runs.list(thread_id) == []


# -------------------------------------------------------------- failures


def test_a_run_error_exits_1_with_the_error(cli: Run, sync_sdk: Any, tag: str) -> None:
    thread_id = make(sync_sdk, tag, supersteps=None)

    result = cli("run", thread_id, "--input", '{"turns": "not a number"}', "--assistant",
                 "agent")

    assert result.code == 1
    assert result.out.splitlines()[-1].startswith("status: error")
    assert err_line(result) == (
        "threadloom: the run failed: TypeError: unsupported operand type(s) for +: 'int' and "
        "'str'")
    (run,) = sync_sdk.runs.list(thread_id)
    assert run["status"] == "error"


def test_a_missing_thread_exits_4(cli: Run) -> None:
    result = cli("run", MISSING, "hello")

    assert result.code == 4
    assert one_line_error(result) == f"threadloom: thread {MISSING} not found"


def test_an_unreachable_server_exits_1(cli: Run) -> None:
    result = cli("run", MISSING, "hello", url="http://127.0.0.1:9")

    assert result.code == 1
    assert "cannot reach http://127.0.0.1:9" in one_line_error(result)


@pytest.mark.parametrize(("argv", "message"), [
    ([MISSING], "say what to run: MESSAGE, --message TEXT, --input JSON"),
    ([MISSING, "hi", "--message", "ho"], "give one of MESSAGE, --message, --input or --resume "
                                         "(MESSAGE and --message given)"),
    ([MISSING, "--input", "{oops"], "--input: Input JSON, column 2"),
    (["--new", "--resume", "yes"], "--resume continues a thread waiting at an interrupt"),
    (["--new", MISSING, "hi"], "with --new, give no THREAD"),
    (["not-a-uuid", "hi"], "'not-a-uuid' is not a thread id, nor its first or last"),
    ([], "give the THREAD to run on (or --new for a new thread)"),
])
def test_usage_errors_exit_2_and_send_nothing(cli: Run, argv: list[str], message: str) -> None:
    result = cli("run", *argv)

    assert result.code == 2
    assert message in one_line_error(result)


def test_a_refused_run_on_a_new_thread_leaves_no_thread_behind(cli: Run, sync_sdk: Any) -> None:
    result = cli("run", "--new", "hello", "--assistant", "no-such-graph", "--json")

    # langgraph-api answers 422 (exit 1); a server answering 404 would give 4
    assert result.code in (1, 4)
    assert "no-such-graph" in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].endswith("(the new thread was deleted)"), result.err
    created = events(result.out)
    assert [e["event"] for e in created] == ["thread"]
    assert sync_sdk.threads.search(ids=[created[0]["thread_id"]]) == []


def test_a_thread_without_a_graph_runs_the_only_graph(cli: Run, sync_sdk: Any) -> None:
    thread_id = str(sync_sdk.threads.create()["thread_id"])  # no metadata.graph_id

    result = cli("run", thread_id, "hello")

    assert result.code == 0, result.err
    assert "ai: Hello! How can I assist you today?" in result.out.splitlines()


# -------------------------------------------------------------- a busy thread


def test_if_busy_reject_gives_the_409_and_enqueue_waits(
    cli: Run, sync_sdk: Any, tag: str
) -> None:
    thread_id = make(sync_sdk, tag)
    sync_sdk.runs.create(thread_id, "agent", input={
        "messages": [{"type": "human", "content": "/slow 3 first"}]})
    wait_for_status(sync_sdk, thread_id, "busy")

    refused = cli("run", thread_id, "second")

    assert refused.code == 1
    line = one_line_error(refused)
    assert line.startswith("threadloom: Run refused (409): ")
    assert line.endswith("(if busy: reject; enqueue, interrupt, rollback would run it anyway)")

    queued = cli("run", thread_id, "third", "--if-busy", "enqueue")

    assert queued.code == 0, queued.err
    assert "ai: You said: third" in queued.out.splitlines()
    assert contents(sync_sdk, thread_id)[2:] == [
        "/slow 3 first", "You said: /slow 3 first", "third", "You said: third"]


# -------------------------------------------------------------- terminal safety


def test_hostile_text_is_printed_escaped(cli: Run, sync_sdk: Any, tag: str) -> None:
    thread_id = make(sync_sdk, tag)
    hostile = "[bold]x[/] \x1b[31mred\x1b]0;title\x07 \u202eevil \x9b2J"

    shown = cli("run", thread_id, hostile)
    as_json = cli("run", thread_id, hostile, "--json")

    assert shown.code == 0 and as_json.code == 0
    assert is_safe(shown.out) and is_safe(as_json.out)
    assert "human: [bold]x[/] ␛[31mred␛]0;title␇ \\u202eevil \\x9b2J" in shown.out.splitlines()
    said = [m["text"] for m in of("message", events(as_json.out))]
    assert said == [hostile, f"You said: {hostile}"]  # JSON escapes it, and loses nothing


# -------------------------------------------------------------- Ctrl+C


@dataclass
class Interrupted:
    code: int
    seen: list[dict[str, Any]]  # the events before the SIGINT
    rest: str  # stdout after it
    err: str


def sigint_once_the_model_runs(server_url: str, thread_id: str, message: str,
                               preexec: Callable[[], object]) -> Interrupted:
    """``threadloom run THREAD MESSAGE --json`` in a process of its own (``preexec`` sets its
    SIGINT), sent SIGINT as soon as it prints that call_model started."""
    command = [sys.executable, "-m", "tui", "run", thread_id, message, "--json",
               "--url", server_url]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=dict(os.environ),
                               preexec_fn=preexec)
    assert process.stdout is not None
    seen: list[dict[str, Any]] = []
    try:
        for line in process.stdout:
            seen.append(json.loads(line))
            if seen[-1] == {"event": "node", "node": "call_model"}:
                break
        process.send_signal(signal.SIGINT)
        rest, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return Interrupted(process.returncode, seen, rest, err)


def test_ctrl_c_cancels_the_run_on_the_server_and_exits_130(sync_sdk: Any, tag: str,
                                                           server_url: str) -> None:
    thread_id = make(sync_sdk, tag)
    done = sigint_once_the_model_runs(server_url, thread_id, "/slow 60 never answered",
                                      like_a_terminal)
    rest, err = done.rest, done.err

    assert done.code == 130, err
    run_id = done.seen[0]["run_id"]
    end = events(rest)[-1]
    assert end["event"] == "end" and end["status"] == "interrupted" and end["exit_code"] == 130
    assert err.splitlines() == [
        f"threadloom: interrupted: run {run_id} cancelled on the server (interrupted)"]
    assert sync_sdk.runs.get(thread_id, run_id)["status"] == "interrupted"
    assert sync_sdk.threads.get(thread_id)["status"] != "busy"
    assert "You said: /slow 60 never answered" not in contents(sync_sdk, thread_id)


def test_ctrl_c_is_seen_at_once_while_the_stream_is_silent(cli: Run, sync_sdk: Any,
                                                         tag: str) -> None:
    """The SIGINT arrives while the main thread is blocked reading a stream that sends nothing:
    here it is delivered to another thread of the process, which is what a SIGINT that lands
    just before the loop blocks amounts to. Before the fix the command saw it only when the
    server next sent something (this server: a heartbeat every 5 s; one without heartbeats:
    when the run ends)."""
    assert threading.current_thread() is threading.main_thread()
    thread_id = make(sync_sdk, tag)
    pressed: list[float] = []

    def press_ctrl_c_once_the_run_waits() -> None:
        deadline = time.monotonic() + 30
        while [r["status"] for r in sync_sdk.runs.list(thread_id)] != ["running"]:
            assert time.monotonic() < deadline, "the run never started"
            time.sleep(0.1)
        time.sleep(0.5)  # the client is now blocked reading the silent stream
        pressed.append(time.monotonic())
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c_once_the_run_waits)
    presser.start()
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)  # (like_a_terminal)
    try:
        result = cli("run", thread_id, "/slow 20 never answered")
    finally:
        signal.signal(signal.SIGINT, inherited)
    answered = time.monotonic()
    presser.join()

    assert result.code == 130, result.err
    assert pressed and answered - pressed[0] < 2, f"Ctrl+C took {answered - pressed[0]:.1f}s"
    assert result.err.splitlines()[-1].endswith("cancelled on the server (interrupted)")
    assert [r["status"] for r in sync_sdk.runs.list(thread_id)] == ["interrupted"]
    assert "You said: /slow 20 never answered" not in contents(sync_sdk, thread_id)


def test_an_ignored_sigint_stays_ignored(sync_sdk: Any, tag: str, server_url: str) -> None:
    """A shell starts background jobs with SIGINT ignored, so that Ctrl+C stops only what runs
    in the foreground: a `threadloom run … &` goes on to the end of its run."""
    thread_id = make(sync_sdk, tag)
    done = sigint_once_the_model_runs(server_url, thread_id, "/slow 2 in the background",
                                      lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))

    assert done.code == 0, done.err
    assert events(done.rest)[-1]["status"] == "success"
    assert "You said: /slow 2 in the background" in contents(sync_sdk, thread_id)


# -------------------------------------------------------------- connection


def test_the_connection_comes_from_the_profile(
    cli: Run, server_url: str, isolated_home: Path, sync_sdk: Any, tag: str
) -> None:
    config = isolated_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[profiles.here]\nurl = "{server_url}"\n')
    thread_id = make(sync_sdk, tag)

    result = cli("run", thread_id, "hello", "--profile", "here", url=None)

    assert result.code == 0, result.err
    assert "ai: Hello! How can I assist you today?" in result.out.splitlines()


# -------------------------------------------------------------- streamed tool calls (recorded)


def test_a_tool_call_streamed_in_chunks_is_reported_once_whole() -> None:
    """A recorded stream, because the demo graph cannot stream tool-call chunks (a real LLM
    does): the call's pieces are not reported as calls; the whole message names it once."""
    import asyncio
    import io

    from tui.commands.run_output import RunPrinter
    from tui.deployment import StreamPart
    from tui.services.runs import follow
    from tui.supersteps.stream import RunProgress

    meta_ = {"langgraph_node": "call_model"}
    recorded = [
        ("metadata", {"run_id": "r1", "attempt": 1}),
        ("tasks", {"id": "t1", "name": "call_model", "input": {}, "triggers": []}),
        ("messages", [{"type": "AIMessageChunk", "id": "m1", "content": "Let me ",
                       "tool_call_chunks": []}, meta_]),
        ("messages", [{"type": "AIMessageChunk", "id": "m1", "content": "check.",
                       "tool_call_chunks": [{"index": 0, "name": "calculator",
                                             "args": '{"expr', "id": "c1"}]}, meta_]),
        ("messages", [{"type": "AIMessageChunk", "id": "m1", "content": "",
                       "tool_call_chunks": [{"index": 0, "args": 'ession": "6*7"}'}]}, meta_]),
        ("updates", {"call_model": {"messages": [{
            "type": "ai", "id": "m1", "content": "Let me check.",
            "tool_calls": [{"name": "calculator", "args": {"expression": "6*7"}, "id": "c1"}]}]}}),
        ("tasks", {"id": "t1", "name": "call_model", "result": {}, "interrupts": []}),
        ("values", {"messages": [{
            "type": "ai", "id": "m1", "content": "Let me check.",
            "tool_calls": [{"name": "calculator", "args": {"expression": "6*7"}, "id": "c1"}]}]}),
    ]

    def replay(as_json: bool) -> str:
        out = io.StringIO()
        progress = RunProgress()
        printer = RunPrinter(progress, as_json=as_json, out=out)

        async def parts():  # type: ignore[no-untyped-def]
            for event, data in recorded:
                yield StreamPart(event=event, data=data)

        async def main() -> None:
            async for step in follow(parts(), progress):
                printer.step(step, progress, assistant="a", label="agent", thread_id="t",
                             if_busy="reject")

        asyncio.run(main())
        return out.getvalue()

    stream = events(replay(True))
    assert [(c["id"], c["args"]) for c in of("tool_call", stream)] == [
        ("c1", {"expression": "6*7"})]
    assert "".join(t["text"] for t in of("token", stream)) == "Let me check."
    assert replay(False).splitlines()[1:] == [
        "▸ call_model", "ai: Let me check.", 'ai: Let me check. → calculator({"expression": '
        '"6*7"})']
