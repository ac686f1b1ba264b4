"""What ``threadloom run`` prints while a run streams: what the app's run panel shows (the
run, the node running, tokens, whole messages with their tool calls and results, interrupts,
the final status), as readable lines or as JSON lines (``--json``: one object per event).

The events come from :func:`tui.services.runs.follow` — the same fold of the stream the panel
uses (:class:`~tui.supersteps.stream.RunProgress` and its chat operations); this module only
decides what is new and prints it. Everything from the deployment is made terminal-safe
(:mod:`tui.safe` for lines, :func:`~tui.commands.common.safe_json` for JSON).

JSON events (``"event"`` names the kind; fields are stable, new ones may be added):

- ``thread`` ``{thread_id, created: true}`` — the thread ``--new`` made;
- ``run`` ``{run_id, thread_id, assistant_id, if_busy}`` — the server accepted the run;
- ``node`` ``{node}`` — a node started;
- ``token`` ``{message_id, role, text}`` — a streamed piece of a message;
- ``message`` ``{message_id, role, text, message}`` — a whole message, new or changed
  (``message`` is the server's object);
- ``tool_call`` ``{message_id, id, name, args}`` — a tool call of an AI message;
- ``tool_result`` ``{message_id, tool_call_id, name, text, status}`` — a tool message;
- ``interrupt`` ``{id, node, value}`` — the graph waits for a resume value;
- ``end`` ``{run_id, thread_id, status, error, interrupts, exit_code}`` — always last once
  the server started the run (a refused run prints no events: its error is on stderr).

Messages the thread held when the command read it are not printed again; what it gained since
is (with ``--if-busy enqueue``, that includes what the run it waited for added).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from tui.commands.common import safe_json
from tui.commands.threads import message_line
from tui.safe import one_line, to_text
from tui.services.runs import Step, interrupt_json
from tui.supersteps.stream import AppendText, Replace, RunProgress, Upsert, describe_status
from tui.supersteps.stream_parts import PendingInterrupt, role_of, text_of


def _role(message: Mapping[str, Any]) -> str:
    return role_of(message.get("type") or message.get("role"))


def _is_chunk(step: Step) -> bool:
    """The event streams a piece of a message (``AIMessageChunk``), not a whole one."""
    part = step.part
    if part.event != "messages" and not part.event.startswith("messages|"):
        return False
    data = part.data
    message = data[0] if isinstance(data, list | tuple) and data else data
    kind = message.get("type") if isinstance(message, Mapping) else None
    return isinstance(kind, str) and kind.endswith("Chunk")


def _signature(message: Mapping[str, Any]) -> str:
    calls = message.get("tool_calls") if isinstance(message.get("tool_calls"), list) else []
    return json.dumps([_role(message), text_of(message.get("content")), calls],
                      sort_keys=True, default=str)


class RunPrinter:
    """Prints one run's events; :meth:`step` per event, :meth:`end` once."""

    def __init__(self, progress: RunProgress, *, as_json: bool, out: TextIO | None = None) -> None:
        self.as_json = as_json
        self.out = out or sys.stdout
        self._streamed: dict[str, str] = {}  # message id → text printed from tokens
        self._shown: dict[str, str] = {}  # message id → signature of the whole message shown
        for message in progress.messages:  # the thread's messages before the run: not news
            if isinstance(message, Mapping) and isinstance(message.get("id"), str):
                self._shown[message["id"]] = _signature(message)
        self._calls: set[str] = set()
        self._open_line: str | None = None  # the message whose tokens are being printed
        self._node: str | None = None
        self._interrupts = 0

    # ------------------------------------------------------------ output

    def _emit(self, event: str, **fields: Any) -> None:
        self._write(safe_json({"event": event, **fields}, indent=None) + "\n")

    def _line(self, text: str) -> None:
        self._close()
        self._write(text + "\n")

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()  # a pipe sees each event as it happens

    def _close(self) -> None:
        if self._open_line is not None:
            self._open_line = None
            self._write("\n")

    # ------------------------------------------------------------ events

    def new_thread(self, thread_id: str) -> None:
        if self.as_json:
            self._emit("thread", thread_id=thread_id, created=True)
        else:
            self._line(f"thread {one_line(thread_id)} (new)")

    def step(self, step: Step, progress: RunProgress, *, assistant: str, label: str,
             thread_id: str, if_busy: str) -> None:
        if step.started:
            if self.as_json:
                self._emit("run", run_id=progress.run_id, thread_id=thread_id,
                           assistant_id=assistant, if_busy=if_busy)
            else:
                self._line(f"run {one_line(progress.run_id or '?')} · {one_line(label, 80)} "
                           f"on thread {one_line(thread_id)}")
        if progress.node != self._node:
            self._node = progress.node
            if progress.node is not None and progress.live:
                if self.as_json:
                    self._emit("node", node=progress.node)
                else:
                    self._line(f"▸ {one_line(progress.node, 80)}")
        chunk = _is_chunk(step)
        for op in step.ops:
            if isinstance(op, AppendText):
                self._token(op.message_id, op.role, op.text)
            elif isinstance(op, Upsert) and chunk:
                self._piece(op.message)
            elif isinstance(op, Upsert):
                self._whole(op.message)
            elif isinstance(op, Replace):
                for message in op.messages:
                    self._whole(message)
        if step.part.event == "values":
            self._complete_streamed(progress)
        self._new_interrupts(progress.interrupts)

    def _complete_streamed(self, progress: RunProgress) -> None:
        """``values`` comes after a superstep's nodes have all finished, so the messages they
        streamed are whole now — even when the node's final message equals what the chunks
        built (then no Upsert says so)."""
        for message in progress.messages:
            if isinstance(message, Mapping) and message.get("id") in self._streamed:
                self._whole(message)

    def _piece(self, message: Mapping[str, Any]) -> None:
        """A message being streamed (its first chunk, or a chunk with tool-call pieces):
        only its new text is printed; tool calls wait for the whole message."""
        ident = message.get("id")
        if not isinstance(ident, str):
            return
        text = text_of(message.get("content"))
        done = self._streamed.get(ident, "")
        if text.startswith(done) and len(text) > len(done):
            self._token(ident, _role(message), text[len(done):])

    def _token(self, ident: str, role: str, text: str) -> None:
        self._streamed[ident] = self._streamed.get(ident, "") + text
        if self.as_json:
            self._emit("token", message_id=ident, role=role, text=text)
            return
        if self._open_line != ident:
            self._close()
            self._write(f"{one_line(role, 20)}: ")
            self._open_line = ident
        self._write(one_line(text))

    def _whole(self, message: Any) -> None:
        if not isinstance(message, Mapping) or not isinstance(message.get("id"), str):
            return
        ident: str = message["id"]
        signature = _signature(message)
        if self._shown.get(ident) == signature:
            return
        self._shown[ident] = signature
        role, text = _role(message), text_of(message.get("content"))
        calls = [c for c in message.get("tool_calls") or [] if isinstance(c, Mapping)]
        if self.as_json:
            self._emit("message", message_id=ident, role=role, text=text, message=message)
            for call in calls:
                self._tool_call(ident, call)
            if role == "tool":
                self._emit("tool_result", message_id=ident,
                           tool_call_id=message.get("tool_call_id"), name=message.get("name"),
                           text=text, status=message.get("status"))
            return
        streamed = self._streamed.get(ident)
        if streamed is not None and streamed == text and not calls:
            self._close()  # its tokens were the message: the line is complete
            return
        if role == "tool":
            name = message.get("name")
            label = f"tool {one_line(to_text(name), 60)}" if isinstance(name, str) else "tool"
            self._line(f"{label}: {one_line(text)}")
            return
        self._line(message_line(dict(message), None))

    def _tool_call(self, ident: str, call: Mapping[str, Any]) -> None:
        key = json.dumps([ident, call.get("id"), call.get("name"), call.get("args")],
                         sort_keys=True, default=str)
        if key in self._calls:
            return
        self._calls.add(key)
        self._emit("tool_call", message_id=ident, id=call.get("id"), name=call.get("name"),
                   args=call.get("args"))

    def _new_interrupts(self, interrupts: list[PendingInterrupt]) -> None:
        for interrupt in interrupts[self._interrupts:]:
            if self.as_json:
                self._emit("interrupt", **interrupt_json(interrupt))
            else:
                where = f" at {one_line(interrupt.node, 80)}" if interrupt.node else ""
                self._line(f"⏸ waiting for a resume value{where}: "
                           f"{one_line(to_text(interrupt.value))}")
        self._interrupts = len(interrupts)

    def end(self, progress: RunProgress, *, thread_id: str, code: int) -> None:
        self._complete_streamed(progress)
        if self.as_json:
            self._emit("end", run_id=progress.run_id, thread_id=thread_id,
                       status=progress.status, error=progress.error,
                       interrupts=[interrupt_json(i) for i in progress.interrupts],
                       exit_code=code)
        else:
            self._line(f"status: {one_line(describe_status(progress))}")
