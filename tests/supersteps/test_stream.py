"""The run-stream fold (``tui.supersteps.stream``): recorded streams from the real server
(``tests/app/data/runs_*.json``, made by ``record_runs_fixtures.py``) replayed event by event;
and what the composer sends (``tui.supersteps.run_input``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui.supersteps.run_input import (
    DEFAULT_MULTITASK,
    MULTITASK_HELP,
    MULTITASK_STRATEGIES,
    InputProblem,
    RunRequest,
    build_request,
    resume_value,
)
from tui.supersteps.stream import (
    RUN_STREAM_MODES,
    AppendText,
    ChatOp,
    Replace,
    RunProgress,
    Upsert,
    describe_status,
)
from tui.supersteps.stream_parts import PendingInterrupt, interrupts_of

DATA = Path(__file__).resolve().parents[1] / "app" / "data"
RECORDED = ("tool_call", "interrupt", "resume", "hostile", "error")


def recording(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"runs_{name}.json").read_text("utf-8"))
    return data


def messages(snapshot: dict[str, Any]) -> list[Any]:
    values = snapshot["state"]["values"]
    return list(values.get("messages", [])) if isinstance(values, dict) else []


class MirrorChat:
    """What ``ChatView`` does with each operation (upsert by id, append text, replace)."""

    def __init__(self, initial: list[Any]) -> None:
        self.messages = list(initial)
        self.replaced = 0
        self.appended_text: list[str] = []

    def apply(self, ops: list[ChatOp]) -> None:
        for op in ops:
            if isinstance(op, Replace):
                self.replaced += 1
                self.messages = list(op.messages)
            elif isinstance(op, Upsert):
                self._upsert(dict(op.message))
            elif isinstance(op, AppendText):
                self.appended_text.append(op.text)
                index = self._index(op.message_id)
                if index is None:
                    self.messages.append({"type": op.role, "content": op.text,
                                          "id": op.message_id})
                else:
                    current = dict(self.messages[index])
                    current["content"] = current.get("content", "") + op.text
                    self.messages[index] = current

    def _index(self, ident: str) -> int | None:
        for index, message in enumerate(self.messages):
            if message.get("id") == ident:
                return index
        return None

    def _upsert(self, message: dict[str, Any]) -> None:
        index = self._index(message["id"])
        if index is None:
            self.messages.append(message)
        else:
            self.messages[index] = message


def replay(name: str, upto: int | None = None) -> tuple[RunProgress, MirrorChat, dict[str, Any]]:
    data = recording(name)
    start = messages(data["before"])
    progress = RunProgress(messages=list(start))
    chat = MirrorChat(start)
    for event in data["events"][:upto]:
        chat.apply(progress.apply(event["event"], event["data"]))
    return progress, chat, data


@pytest.mark.parametrize("name", RECORDED)
def test_the_chat_stays_in_step_with_the_fold_after_every_event(name: str) -> None:
    data = recording(name)
    progress = RunProgress(messages=messages(data["before"]))
    chat = MirrorChat(messages(data["before"]))
    for event in data["events"]:
        chat.apply(progress.apply(event["event"], event["data"]))
        assert chat.messages == progress.messages, event["event"]
    # … and ends where the server's state ends, without ever redrawing everything.
    assert progress.messages == messages(data["after"])
    assert chat.replaced == 0


def test_a_continued_conversation_streams_tool_call_result_and_tokens() -> None:
    progress, chat, data = replay("tool_call")
    contents = [m["content"] for m in chat.messages]
    assert contents[:3] == ["hello", "Hello! How can I assist you today?", "what is 6*7?"]
    assert chat.messages[3]["tool_calls"][0]["name"] == "calculator"
    assert contents[4:] == ["42", "The result is 42."]
    # The answer arrived token by token, not as one blob.
    assert chat.appended_text[:3] == [" ", "result", " "]
    assert "".join(["The", *chat.appended_text]) == "The result is 42."
    assert progress.tokens == 7
    assert progress.run_id == data["events"][0]["data"]["run_id"]
    assert progress.nodes_done == ["call_model", "tools", "call_model"]
    assert progress.status == "running" and progress.live
    progress.finish(data["run_status"])
    assert progress.status == "success" and not progress.live and progress.node is None


def test_the_running_node_follows_task_starts_and_ends() -> None:
    events = recording("tool_call")["events"]
    progress = RunProgress()
    seen: list[tuple[str, str | None]] = []
    for event in events:
        progress.apply(event["event"], event["data"])
        seen.append((event["event"], progress.node))
    assert seen[0] == ("metadata", None)
    assert progress.status == "running"
    assert ("tasks", "call_model") in seen and ("tasks", "tools") in seen
    after_tools_end = [node for kind, node in seen[5:7]]
    assert after_tools_end == [None, None]  # call_model ended, nothing running yet


def test_mid_stream_the_transcript_holds_the_partial_answer() -> None:
    tokens_at = [i for i, e in enumerate(recording("tool_call")["events"])
                 if e["event"] == "messages"]
    # messages events: the tool call, its result, then the tokens "The", " ", "result", …
    progress, chat, _ = replay("tool_call", upto=tokens_at[4] + 1)
    assert chat.messages[-1]["content"] == "The result"
    assert chat.messages[-1]["type"] == "ai"
    assert progress.node == "call_model"
    assert describe_status(progress).startswith("running · node call_model · run ")
    assert describe_status(progress).endswith("3 tokens")


def test_an_interrupt_is_reported_once_with_its_node_and_payload() -> None:
    progress, _, data = replay("interrupt")
    assert len(progress.interrupts) == 1  # in updates, values and the task's end: one
    interrupt = progress.interrupts[0]
    assert interrupt.node == "human_review"
    assert interrupt.value["question"] == "Send an email to bob@example.com?"
    assert interrupt.id
    progress.finish(data["run_status"])
    # The run itself succeeded: the thread is what waits (the API says so too).
    assert progress.status == "success"
    assert data["after"]["thread"]["status"] == "interrupted"
    assert "1 interrupt(s) waiting" in describe_status(progress)


def test_resuming_sends_the_email_and_answers() -> None:
    progress, chat, _ = replay("resume")
    assert chat.messages[-2]["content"] == "email sent to bob@example.com"
    assert chat.messages[-1]["content"] == "Done: email sent to bob@example.com"
    assert progress.interrupts == []
    assert progress.nodes_done == ["human_review", "tools", "call_model"]


def test_a_failing_node_makes_an_error_with_the_server_s_words() -> None:
    progress, _, data = replay("error")
    assert progress.status == "error"
    assert progress.error == "RuntimeError"
    progress.finish(data["run_status"])
    assert progress.status == "error"


def test_hostile_tokens_are_kept_as_they_came() -> None:
    # The fold keeps text verbatim; the chat widget makes it displayable.
    progress, _, _ = replay("hostile")
    assert progress.messages[-1]["content"] == (
        "You said: [bold red]x[/] [/] [@click=app.quit]boom[/] \x1b[31mred\x1b]0;title\x07")


# ---------------------------------------------------------------- synthetic shapes


def test_values_that_drop_a_message_replace_the_transcript() -> None:
    first = {"type": "human", "content": "a", "id": "1"}
    second = {"type": "ai", "content": "b", "id": "2"}
    progress = RunProgress(messages=[first, second])
    ops = progress.apply("values", {"messages": [second]})
    assert ops == [Replace((second,))]
    ops = progress.apply("values", {"messages": [second, {"type": "ai", "content": "c"}]})
    assert isinstance(ops[0], Replace)  # a message without id cannot be placed by id


def test_values_that_extend_only_upsert_what_changed() -> None:
    first = {"type": "human", "content": "a", "id": "1"}
    progress = RunProgress(messages=[first])
    changed = {**first, "content": "A"}
    new = {"type": "ai", "content": "b", "id": "2"}
    assert progress.apply("values", {"messages": [changed, new]}) == [Upsert(changed),
                                                                      Upsert(new)]
    assert progress.apply("values", {"messages": [changed, new]}) == []


def test_tool_call_chunks_are_merged_into_one_call() -> None:
    progress = RunProgress()
    chunk = {"type": "AIMessageChunk", "id": "m", "content": ""}
    progress.apply("messages", [{**chunk, "tool_call_chunks": [
        {"index": 0, "name": "calc", "id": "call_1", "args": '{"expr'}]}, {}])
    ops = progress.apply("messages", [{**chunk, "tool_call_chunks": [
        {"index": 0, "args": 'ession": "6*7"}'}]}, {"langgraph_node": "call_model"}])
    assert ops == [Upsert({"type": "ai", "content": "", "id": "m", "tool_calls": [
        {"name": "calc", "args": {"expression": "6*7"}, "id": "call_1"}]})]
    assert progress.node == "call_model"


def test_the_messages_mode_partial_events_are_understood_too() -> None:
    progress = RunProgress()
    progress.apply("messages/metadata", {"x": {"metadata": {"langgraph_node": "call_model"}}})
    progress.apply("messages/partial", [{"type": "ai", "content": "Th", "id": "x"}])
    ops = progress.apply("messages/partial", [{"type": "ai", "content": "The", "id": "x"}])
    assert ops == [Upsert({"type": "ai", "content": "The", "id": "x"})]
    assert progress.messages == [{"type": "ai", "content": "The", "id": "x"}]
    assert progress.node == "call_model"


def test_updates_skip_removals_and_messages_without_ids() -> None:
    progress = RunProgress()
    ops = progress.apply("updates", {"n": {"messages": [
        {"type": "remove", "id": "1"}, {"type": "ai", "content": "x"}]}, "m": None})
    assert ops == [] and progress.nodes_done == ["n", "m"]


def test_a_stream_that_just_ends_takes_the_api_status_or_says_unknown() -> None:
    progress = RunProgress()
    progress.apply("metadata", {"run_id": "r1"})
    assert progress.status == "pending"
    progress.apply("values", {"messages": []})
    progress.finish(None)
    assert progress.status == "unknown"
    cancelled = RunProgress()
    cancelled.apply("metadata", {"run_id": "r2"})
    cancelled.finish("interrupted")
    assert cancelled.status == "interrupted"


def test_a_broken_stream_is_an_error_never_a_success() -> None:
    progress = RunProgress()
    progress.apply("metadata", {"run_id": "r1"})
    progress.fail("Thread is already running a task.")
    assert progress.status == "error" and not progress.live
    assert describe_status(progress) == "error · run r1 · Thread is already running a task."


@pytest.mark.parametrize(("value", "expected"), [
    ({"task": [{"id": "i1", "value": {"q": 1}}]}, [PendingInterrupt({"q": 1}, "i1")]),
    ([{"id": "i1", "value": "x"}, {"value": 2}], [PendingInterrupt("x", "i1"),
                                                  PendingInterrupt(2, None)]),
    ({"value": "solo"}, [PendingInterrupt("solo")]),
    ({}, []),
    (None, []),
])
def test_interrupts_of_every_shape(value: Any, expected: list[PendingInterrupt]) -> None:
    assert interrupts_of(value) == expected


# ---------------------------------------------------------------- what the user typed


def test_a_message_becomes_a_human_message_input() -> None:
    assert build_request("message", "what is 6*7?") == RunRequest(
        input={"messages": [{"type": "human", "content": "what is 6*7?"}]})
    with pytest.raises(InputProblem, match="Type a message first"):
        build_request("message", "  ")


def test_input_json_is_any_json_and_empty_means_no_input() -> None:
    assert build_request("json", '{"turns": 1}') == RunRequest(input={"turns": 1})
    assert build_request("json", "") == RunRequest(input=None)
    with pytest.raises(InputProblem, match=r"column 2: Expecting property name"):
        build_request("json", "{oops}")


@pytest.mark.parametrize(("typed", "value"), [
    ("yes", "yes"), ('"yes"', "yes"), ("true", True), ("42", 42),
    ('{"approve": false}', {"approve": False}), ("no thanks", "no thanks"), ("", ""),
])
def test_a_resume_value_is_json_when_it_parses_else_text(typed: str, value: Any) -> None:
    assert resume_value(typed) == value
    assert build_request("resume", typed) == RunRequest(command={"resume": value})


def test_the_multitask_default_is_the_server_s_reject() -> None:
    assert DEFAULT_MULTITASK == "reject" == MULTITASK_STRATEGIES[0]
    assert set(MULTITASK_HELP) == set(MULTITASK_STRATEGIES)
    assert RUN_STREAM_MODES == ("values", "updates", "messages-tuple", "tasks")
