"""``threadloom threads list|show|copy|delete`` and ``threadloom state``."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.commands.common import (
    NOT_FOUND,
    OK,
    USAGE,
    Failure,
    Subparsers,
    add_command_handler,
    add_connection_flags,
    add_json_flag,
    add_thread_arg,
    json_object_arg,
    print_json,
    table,
    terminal_width,
    thread_arg,
)
from tui.deployment import Conflict, Unsupported
from tui.safe import one_line, to_text
from tui.services import listing

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient, Thread, ThreadState

STATUSES = ("idle", "busy", "interrupted", "error")
SORT_KEYS = ("created_at", "updated_at", "state_updated_at", "thread_id", "status")
def thread_json(thread: Thread) -> dict[str, Any]:
    """The thread as the server sent it (fields it left out stay out)."""
    return thread.model_dump(mode="json", exclude_unset=True)


def state_json(state: ThreadState) -> dict[str, Any]:
    return state.model_dump(mode="json", exclude_unset=True)


def when(value: datetime | None) -> str:
    """A timestamp in local time, to the second (empty when unknown)."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S") if value else ""


def message_lines(values: Any, limit: int | None = 100) -> list[str]:
    """``type: content`` per message of ``values["messages"]`` (tool calls named), sanitized."""
    messages = values.get("messages") if isinstance(values, dict) else None
    if not isinstance(messages, list):
        return []
    return [message_line(message, limit) for message in messages]


def message_line(message: Any, limit: int | None = 100) -> str:
    """One message as one sanitized line: ``type: content``, tool calls as ``→ name(args)``."""
    if not isinstance(message, dict):
        return one_line(to_text(message), limit)
    kind = to_text(message.get("type") or message.get("role") or "?")
    content = message.get("content")
    text = content if isinstance(content, str) else to_text(content)
    calls = message.get("tool_calls")
    if isinstance(calls, list) and calls:
        names = ", ".join(
            f"{to_text(c.get('name'))}({to_text(c.get('args', {}))})"
            for c in calls if isinstance(c, dict)
        )
        text = f"{text} → {names}" if text else f"→ {names}"
    return one_line(f"{kind}: {text}", limit)


# -------------------------------------------------------------- threads list


async def list_threads(args: argparse.Namespace, client: DeploymentClient) -> int:
    metadata = json_object_arg(args.metadata, "--metadata") or {}
    if args.graph:
        metadata["graph_id"] = args.graph
    page = await listing.row_page(
        client, metadata=metadata or None, status=args.status, limit=args.limit,
        offset=args.offset, sort_by=args.sort, sort_order="asc" if args.asc else "desc",
    )
    if args.json:
        print_json([thread_json(t) for t in page.items])
        return OK
    if not page.items:
        print("No threads." if args.offset == 0 else "No threads at this offset.")
        return OK
    rows = [
        [t.thread_id, t.status or "", t.graph_id or "", when(t.created_at), when(t.updated_at),
         _preview(t)]
        for t in page.items
    ]
    print(table(["THREAD ID", "STATUS", "GRAPH", "CREATED", "UPDATED", "LAST MESSAGE"], rows,
                limits=[36, 11, 20, 19, 19, 60], width=terminal_width()))
    try:
        total = f"{await listing.count_rows(client, metadata=metadata or None, status=args.status)}"
        note = ""
    except Unsupported:
        total, note = "?", " (this server cannot count them)"
    shown = f"{args.offset + 1}–{args.offset + len(page.items)} of {total}"
    noun = "thread" if total == "1" else "threads"
    more = f"; more with --offset {page.next_offset}" if page.next_offset is not None else ""
    print(f"\n{shown} {noun}{note}{more}")
    return OK


def _preview(thread: Thread) -> str:
    value = (thread.extracted or {}).get("preview")
    if value is None:
        return ""
    return value if isinstance(value, str) else to_text(value)


# -------------------------------------------------------------- threads show / state


async def show_thread(args: argparse.Namespace, client: DeploymentClient) -> int:
    thread = await client.threads.get(args.thread)
    if args.json:
        print_json(thread_json(thread))
        return OK
    fields = [
        ("thread_id", thread.thread_id),
        ("status", thread.status or ""),
        ("created", when(thread.created_at)),
        ("updated", when(thread.updated_at)),
        ("metadata", to_text(thread.metadata)),
    ]
    if thread.interrupts:
        fields.append(("interrupts", to_text(thread.interrupts)))
    _print_fields(fields)
    values = thread.values
    if values is None and "values" not in thread.model_fields_set:
        values = (await client.threads.get_state(thread.thread_id)).values  # copies lack values
    _print_values(values)
    return OK


async def show_state(args: argparse.Namespace, client: DeploymentClient) -> int:
    state = await client.threads.get_state(args.thread, checkpoint_id=args.checkpoint)
    if args.checkpoint and state.metadata is None and state.created_at is None:
        # Measured: an unknown checkpoint id answers 200 with an empty state, not 404.
        raise Failure(f"thread {args.thread} has no checkpoint {args.checkpoint}", NOT_FOUND)
    if args.json:
        print_json(state_json(state))
        return OK
    fields = [
        ("checkpoint", state.checkpoint_id or ""),
        ("parent", state.parent_checkpoint_id or ""),
        ("step", "" if state.step is None else str(state.step)),
        ("source", state.source or ""),
        ("created", when(state.created_at)),
        ("next", ", ".join(state.next) or "(nothing: the run is finished)"),
    ]
    for task in state.tasks:
        pending = " (interrupted)" if task.interrupts else ""
        fields.append(("task", f"{task.name}{pending}"))
    for interrupt in state.interrupts:
        fields.append(("interrupt", to_text(interrupt.value)))
    _print_fields(fields)
    _print_values(state.values)
    return OK


def _print_fields(fields: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in fields)
    for name, value in fields:
        print(f"{name.ljust(width)}  {one_line(value, 300)}")


def _print_values(values: Any) -> None:
    lines = message_lines(values, 200)
    if lines:
        print("\nmessages:")
        for text in lines:
            print(f"  {text}")
    others = {k: v for k, v in values.items() if k != "messages"} if isinstance(values, dict) \
        else None
    if others:
        print("\nvalues:")
        for key, value in others.items():
            print(f"  {one_line(to_text(key), 60)}: {one_line(to_text(value), 200)}")
    elif values is not None and not isinstance(values, dict):
        print(f"\nvalues: {one_line(to_text(values), 300)}")


# -------------------------------------------------------------- threads copy / delete


async def copy_thread(args: argparse.Namespace, client: DeploymentClient) -> int:
    try:
        copied = await listing.copy_thread(client, args.thread)
    except Conflict:
        await client.threads.get(args.thread)  # measured: a missing thread answers 409 here
        raise
    if args.json:
        print_json(thread_json(copied))
    else:
        print(f"Copied {one_line(args.thread)} to {one_line(copied.thread_id)}")
    return OK


async def delete_threads(args: argparse.Namespace, client: DeploymentClient) -> int:
    deleted: list[str] = []
    for thread_id in args.threads:
        await listing.delete_thread(client, thread_id)  # NotFound stops here: exit 4
        deleted.append(thread_id)
        if not args.json:
            print(f"Deleted {one_line(thread_id)}")
    if args.json:
        print_json({"deleted": deleted})
    return OK


# -------------------------------------------------------------- parsers


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _limit(text: str) -> int:
    value = _int(text)
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return value


def _offset(text: str) -> int:
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def add_threads_parser(
    subparsers: Subparsers,
) -> None:
    threads = subparsers.add_parser(
        "threads", help="list, show, copy or delete threads",
        description="List, show, copy or delete the threads of a deployment.",
    )
    add_connection_flags(threads, suppress=True)  # `threads --url X list` works too
    actions = threads.add_subparsers(dest="threads_action", metavar="ACTION")
    threads.set_defaults(handler=lambda args: _usage(threads, "list, show, copy or delete"))

    listing = actions.add_parser(
        "list", help="list threads, newest first",
        description="List threads (newest first), one page at a time.",
    )
    listing.add_argument("--limit", type=_limit, default=20, help="threads per page (1–1000; "
                         "default 20)")
    listing.add_argument("--offset", type=_offset, default=0, help="skip this many threads")
    listing.add_argument("--status", choices=STATUSES, help="only threads with this status")
    listing.add_argument("--metadata", metavar="JSON",
                         help='only threads whose metadata contains this, e.g. \'{"user": "ada"}\'')
    listing.add_argument("--graph", metavar="ID", help="only threads of this graph "
                         "(metadata.graph_id)")
    listing.add_argument("--sort", choices=SORT_KEYS, default="created_at",
                         help="sort key (default created_at)")
    listing.add_argument("--asc", action="store_true", help="oldest first")
    add_json_flag(listing, "the threads")
    add_command_handler(listing, list_threads)

    show = actions.add_parser("show", help="show one thread: status, metadata, messages",
                              description="Show one thread: status, metadata and its values.")
    add_thread_arg(show)
    add_json_flag(show, "the thread record")
    add_command_handler(show, show_thread)

    copy = actions.add_parser("copy", help="copy a thread (same history, new id)",
                              description="Copy a thread: the copy has the same history and "
                              "a new id.")
    add_thread_arg(copy)
    add_json_flag(copy, "the new thread")
    add_command_handler(copy, copy_thread)

    delete = actions.add_parser("delete", help="delete threads",
                                description="Delete one or more threads (no confirmation: "
                                "this is for scripts).")
    delete.add_argument("threads", metavar="THREAD", nargs="+", type=thread_arg,
                        help="thread ids, each whole or its first or last characters")
    add_json_flag(delete, "the deleted ids")
    add_command_handler(delete, delete_threads)


def add_state_parser(subparsers: Subparsers) -> None:
    state = subparsers.add_parser(
        "state", help="show a thread's state (now, or at a checkpoint)",
        description="Show a thread's state: values, next nodes, tasks and interrupts — the "
        "latest, or at --checkpoint.",
    )
    add_thread_arg(state)
    state.add_argument("--checkpoint", metavar="ID", help="a checkpoint id from the history")
    add_json_flag(state, "the state")
    add_command_handler(state, show_state)


def _usage(parser: argparse.ArgumentParser, choices: str) -> int:
    print(f"{parser.prog}: choose an action: {choices} (see {parser.prog} --help)",
          file=sys.stderr)
    return USAGE
