"""``threadloom run``: run the graph on a thread from a script or CI, streaming what the app's
run panel shows (:mod:`tui.commands.run_output`), with an exit code that says how it ended.

The run is the panel's: the same request (:func:`tui.supersteps.run_input.build_request`),
stream modes, default assistant, fold of the stream and final status
(:mod:`tui.services.runs`). One difference: the stream is opened with
``on_disconnect="cancel"``, so a script that dies does not leave its run going on; Ctrl+C
cancels the run explicitly (as the app's ``X``: action interrupt) and exits 130.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

from tui.commands.common import (
    AT_INTERRUPT,
    FAILED,
    INTERRUPTED,
    NOT_FOUND,
    OK,
    USAGE,
    Failure,
    Subparsers,
    add_command_handler,
    code_for,
    fail_line,
    resolve_thread,
    thread_arg,
)
from tui.deployment import DeploymentError
from tui.multitask import DEFAULT_MULTITASK, MULTITASK_HELP, MULTITASK_STRATEGIES
from tui.services.listing import create_empty, delete_thread

if TYPE_CHECKING:
    from tui.commands.run_output import RunPrinter
    from tui.deployment import DeploymentClient
    from tui.supersteps.run_input import RunRequest
    from tui.supersteps.stream import RunProgress

CANCEL_TIMEOUT = 30.0
"""Seconds Ctrl+C waits for the server to cancel the run (a second Ctrl+C stops waiting)."""


# -------------------------------------------------------------- what to send


def _read_input(text: str) -> str:
    """``--input`` text: JSON itself, ``@FILE``, or ``@-`` for standard input."""
    if not text.startswith("@"):
        return text
    name = text[1:]
    if name == "-":
        return sys.stdin.read()
    try:
        with open(name, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise Failure(f"--input {text}: {exc.strerror or exc}", USAGE) from None


def run_request(args: argparse.Namespace) -> RunRequest:
    """The request from the flags (exactly one of MESSAGE, --message, --input, --resume)."""
    from tui.supersteps.run_input import InputProblem, build_request

    given = [(name, value) for name, value in (
        ("MESSAGE", args.message_arg), ("--message", args.message), ("--input", args.input),
        ("--resume", args.resume)) if value is not None]
    if len(given) != 1:
        names = " and ".join(name for name, _ in given)
        raise Failure(f"give one of MESSAGE, --message, --input or --resume ({names} given)"
                      if given else "say what to run: MESSAGE, --message TEXT, --input JSON "
                      "(--input null: no input) or --resume VALUE", USAGE)
    name, value = given[0]
    try:
        if name in ("MESSAGE", "--message"):
            return build_request("message", value)
        if name == "--input":
            return build_request("json", _read_input(value))
        return build_request("resume", value)
    except InputProblem as exc:
        message = str(exc).replace(" (or switch to input JSON with ctrl+t)", "")
        raise Failure(f"{name}: {message}", USAGE) from None


def _positionals(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """THREAD [MESSAGE], or with --new just [MESSAGE]."""
    first, second = args.thread, args.message_arg
    if args.new:
        if second is not None:
            raise Failure("with --new, give no THREAD (the run gets a new thread)", USAGE)
        return None, first
    if first is None:
        raise Failure("give the THREAD to run on (or --new for a new thread)", USAGE)
    try:
        return thread_arg(first), second
    except argparse.ArgumentTypeError as exc:
        raise Failure(str(exc), USAGE) from None


# -------------------------------------------------------------- the assistant


async def pick_assistant(client: DeploymentClient, chosen: str | None,
                         graph_id: str | None) -> tuple[str, str]:
    """The assistant id to run and its name to show: ``--assistant``, else the thread's
    graph's own assistant (as the run panel chooses); a thread without a graph runs the
    deployment's only graph, if it has just one."""
    from tui.services.runs import assistants as list_assistants
    from tui.services.runs import default_assistant

    if chosen:
        return chosen, chosen
    try:
        assistants = await list_assistants(client, graph_id)
    except DeploymentError:
        if graph_id:
            return graph_id, graph_id  # the server also takes a graph name as the assistant
        raise
    if graph_id:
        return default_assistant(assistants, graph_id) or graph_id, graph_id
    graphs = sorted({a.graph_id for a in assistants})
    if len(graphs) == 1:
        found = default_assistant(assistants, graphs[0])
        if found:
            return found, graphs[0]
    raise Failure("the thread has no graph yet (no metadata.graph_id): choose one with "
                  f"--assistant (graphs: {', '.join(graphs) or 'none'})", USAGE)


# -------------------------------------------------------------- the run


async def run_graph(args: argparse.Namespace, client: DeploymentClient) -> int:
    from tui.commands.run_output import RunPrinter
    from tui.services import runs as service
    from tui.supersteps.stream import RunProgress

    thread_id, message = _positionals(args)
    args.message_arg = message
    request = run_request(args)
    if args.new and request.command is not None:
        raise Failure("--resume continues a thread waiting at an interrupt: give its THREAD, "
                      "not --new", USAGE)
    seed: list[Any] = []
    if thread_id is None:
        assistant, label = await pick_assistant(client, args.assistant, None)
        thread_id = (await create_empty(client)).thread_id
    else:
        thread_id = await resolve_thread(client, thread_id)
        thread = await service.thread_info(client, thread_id)
        if thread is None:
            raise Failure(f"thread {thread_id} not found", NOT_FOUND)
        if request.command is not None and thread.status in ("idle", "error") \
                and not thread.interrupts:  # the server would run the graph again instead
            raise Failure(f"nothing to resume: thread {thread_id} is not waiting at an "
                          f"interrupt (status {thread.status or 'unknown'})")
        assistant, label = await pick_assistant(client, args.assistant, thread.graph_id)
        seed = await _messages(client, thread_id)
    progress = RunProgress(messages=seed)
    printer = RunPrinter(progress, as_json=args.json)
    if args.new:
        printer.new_thread(thread_id)
    parts = service.start_run(client, thread_id, assistant, input=request.input,
                              command=request.command, strategy=args.if_busy,
                              on_disconnect="cancel")
    steps = service.follow(parts, progress)
    try:
        async for step in steps:
            printer.step(step, progress, assistant=assistant, label=label,
                         thread_id=thread_id, if_busy=args.if_busy)
    except service.NotStarted as not_started:
        error = not_started.error
        message = (str(not_started) if error is None else service.refusal(error, args.if_busy)
                   or f"the run was not started: {error}")
        if args.new:
            message += await _drop_new_thread(client, thread_id)
        raise Failure(message, FAILED if error is None else code_for(error)) from None
    except asyncio.CancelledError:  # Ctrl+C (it cancels the command's task: common.py)
        if progress.run_id is None:
            raise
        return await _cancelled(client, thread_id, progress, printer)
    finally:
        await steps.aclose()  # (a broken pipe stops the loop: the stream closes here)
    await service.settle(client, thread_id, progress)
    code = outcome_code(progress, allow_interrupt=args.allow_interrupt)
    printer.end(progress, thread_id=thread_id, code=code)
    _explain(progress, code, thread_id)
    return code


async def _drop_new_thread(client: DeploymentClient, thread_id: str) -> str:
    """The run on a ``--new`` thread was not started: do not leave the empty thread behind."""
    try:
        await delete_thread(client, thread_id)
    except DeploymentError:
        return f" (the new thread {thread_id} was left behind, empty)"
    return " (the new thread was deleted)"


async def _messages(client: DeploymentClient, thread_id: str) -> list[Any]:
    """The thread's messages now, so that only what the run adds is printed."""
    try:
        from tui.services.runs import current_state

        values = (await current_state(client, thread_id)).values
    except DeploymentError:
        return []  # (measured: after a failed run /state can answer 500) — show all
    messages = values.get("messages") if isinstance(values, dict) else None
    return list(messages) if isinstance(messages, list) else []


async def _cancelled(client: DeploymentClient, thread_id: str, progress: RunProgress,
                     printer: RunPrinter) -> int:
    """Ctrl+C: cancel the run on the server, report how it ended, exit 130."""
    from tui.services import runs as service
    from tui.supersteps.stream import LIVE

    task = asyncio.current_task()
    if task is not None:
        task.uncancel()  # this task goes on: to cancel the run and say so
    run_id = progress.run_id or ""
    refused: DeploymentError | None = None
    try:
        async with asyncio.timeout(CANCEL_TIMEOUT):
            try:
                await service.cancel_run(client, thread_id, run_id, wait=True)
            except DeploymentError as exc:
                # Measured: closing the stream (on_disconnect="cancel") may have cancelled it
                # already, and then this answers 404; the run's status says what happened.
                refused = exc
            await service.settle(client, thread_id, progress)
    except TimeoutError:
        progress.finish(None)
    printer.end(progress, thread_id=thread_id, code=INTERRUPTED)
    if progress.status in (*LIVE, "unknown"):
        why = f": {refused}" if refused else " (no answer)"
        fail_line(f"interrupted: cancelling run {run_id} failed{why}; it may go on on the "
                  "server")
    else:
        fail_line(f"interrupted: run {run_id} cancelled on the server ({progress.status})")
    return INTERRUPTED


def outcome_code(progress: RunProgress, *, allow_interrupt: bool) -> int:
    """0 when the run succeeded (or stopped at an interrupt it was allowed to), 5 when it waits
    at an interrupt, 1 when it failed, was cancelled or its end is unknown."""
    if progress.status != "success":
        return FAILED
    if progress.interrupts and not allow_interrupt:
        return AT_INTERRUPT
    return OK


def _explain(progress: RunProgress, code: int, thread_id: str) -> None:
    """The one line on stderr for a run that did not simply succeed."""
    if code == AT_INTERRUPT:
        nodes = ", ".join(sorted({i.node for i in progress.interrupts if i.node}))
        where = f" at {nodes}" if nodes else ""
        fail_line(f"the run stopped{where}, waiting for a resume value: continue it with "
                  f"threadloom run {thread_id} --resume VALUE")
    elif code != OK:
        status = progress.status
        if status == "error" or status == "timeout":
            fail_line(f"the run failed: {progress.error or status}")
        elif progress.error:
            fail_line(f"the run ended {status}: {progress.error}")
        elif status in ("interrupted", "rolled back"):
            fail_line(f"the run was cancelled on the server ({status})")
        else:
            fail_line(f"the stream ended but the run is {status} on the server")


# -------------------------------------------------------------- parser


def add_run_parser(subparsers: Subparsers) -> None:
    run = subparsers.add_parser(
        "run", help="run the graph on a thread and stream what it does",
        description="Run the graph on a thread — with a human message, input JSON or a resume\n"
        "value — and stream what the run does: the node running, tokens, tool calls and\n"
        "results, interrupts, its final status (--json: one JSON object per event).\n\n"
        "exit codes: 0 success; 1 the run failed or was cancelled, or the server could not\n"
        "be reached; 2 usage; 4 thread not found; 5 the run stopped at an interrupt (see\n"
        "--allow-interrupt); 130 Ctrl+C (the run is cancelled on the server first).",
        epilog='examples:\n  threadloom run THREAD "what is 6*7?"\n'
        '  threadloom run THREAD --input \'{"messages": [{"type": "human", "content": "hi"}]}\'\n'
        "  threadloom run THREAD --resume yes\n"
        '  threadloom run --new "hello" --json | jq -c \'select(.event == "end")\'',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("thread", metavar="THREAD", nargs="?",
                     help="the thread id, or its first or last characters (with --new: "
                     "leave it out)")
    run.add_argument("message_arg", metavar="MESSAGE", nargs="?",
                     help="a human message to send (same as --message)")
    what = run.add_argument_group("what to send (one of)")
    what.add_argument("--message", metavar="TEXT", help="a human message")
    what.add_argument("--input", metavar="JSON|@FILE",
                      help="the graph input as JSON, from a file with @FILE (@- reads standard "
                      "input); null runs with no input")
    what.add_argument("--resume", metavar="VALUE",
                      help="resume a thread waiting at an interrupt: JSON when it parses, "
                      "else the text")
    run.add_argument("--assistant", metavar="ID",
                     help="the assistant (id or graph name) that runs (default: the graph of "
                     "the thread, metadata.graph_id)")
    run.add_argument("--if-busy", choices=MULTITASK_STRATEGIES, default=DEFAULT_MULTITASK,
                     help="when a run is already active on the thread: "
                     + "; ".join(f"{k}: {v}" for k, v in MULTITASK_HELP.items()))
    run.add_argument("--new", action="store_true",
                     help="run on a new thread (its id is printed first)")
    run.add_argument("--allow-interrupt", action="store_true",
                     help="exit 0 when the run stops at an interrupt (default: 5)")
    run.add_argument("--json", action="store_true",
                     help="print one JSON object per event (see README, Scripting)")
    add_command_handler(run, run_graph)


__all__ = ["add_run_parser", "outcome_code", "run_graph", "run_request"]

