"""``threadloom create`` (validated before anything is sent) and ``threadloom export``."""

from __future__ import annotations

import argparse
import uuid
from typing import TYPE_CHECKING, Any

from tui.commands.common import (
    INVALID_SCRIPT,
    NOT_FOUND,
    OK,
    USAGE,
    Failure,
    Subparsers,
    add_command_handler,
    json_object_arg,
    print_json,
    safe_json,
    warn_line,
)
from tui.commands.threads import thread_json
from tui.deployment import DeploymentError, SuperstepsRejected, ThreadCreatedWithProblems
from tui.services.listing import delete_thread

if TYPE_CHECKING:  # loaded by the commands that use them: `threadloom` alone opens the app fast
    from tui.deployment import DeploymentClient
    from tui.supersteps.model import Script
    from tui.supersteps.validate import Problem


# -------------------------------------------------------------- create


def build_script(args: argparse.Namespace) -> Script:
    """The script to send: the file (if any), then --metadata merged in, then --graph."""
    from tui.supersteps.files import ScriptFileError, load_script
    from tui.supersteps.model import Script

    if args.script:
        try:
            script = load_script(args.script)
        except ScriptFileError as exc:
            if exc.unreadable:  # no script to judge: the flag names a file that is not there
                raise Failure(f"--script {exc}", USAGE) from None
            raise Failure(str(exc), INVALID_SCRIPT) from None
    else:
        script = Script()
    metadata = dict(script.metadata)
    metadata.update(json_object_arg(args.metadata, "--metadata") or {})
    if args.graph:
        metadata["graph_id"] = args.graph
    changes: dict[str, Any] = {"metadata": metadata}
    if args.thread_id:
        changes["thread_id"] = args.thread_id
    if args.if_exists:
        changes["if_exists"] = args.if_exists
    return script.model_copy(update=changes)


async def node_names(client: DeploymentClient, graph_id: str) -> list[str]:
    """The graph's nodes; a graph the deployment does not serve is "not found" (exit 4)."""
    from tui.services.graphs import UnknownGraph, served_node_names

    try:
        return await served_node_names(client, graph_id)
    except UnknownGraph as unknown:
        known = ", ".join(unknown.graphs) or "none"
        raise Failure(f"this deployment has no graph {graph_id!r} (graphs: {known})",
                      NOT_FOUND) from None


def _problem_line(problems: list[Problem], source: str) -> str:
    errors = [p for p in problems if p.severity == "error"]
    first = errors[0]
    hint = " (or pass --graph ID)" if first.field == "metadata.graph_id" else ""
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    message = first.message.rstrip(".")
    return f"invalid script {source}: {first.location}: {message}{hint}{more}; nothing was sent"


async def create_thread(args: argparse.Namespace, client: DeploymentClient) -> int:
    from tui.supersteps.validate import has_errors, validate

    script = build_script(args)
    source = args.script or "(no script)"
    from tui.services.schemas import state_keys

    nodes: list[str] | None = None
    keys: frozenset[str] | None = None
    if script.supersteps and script.graph_id:
        nodes = await node_names(client, script.graph_id)
        keys = await state_keys(client, script.graph_id)
    problems = validate(script, nodes, keys)
    if has_errors(problems):
        raise Failure(_problem_line(problems, source), INVALID_SCRIPT)
    for problem in problems:
        warn_line(f"{problem.location}: {problem.message}")
    if args.dry_run:
        print(safe_json(script.to_body()))
        return OK
    from tui.services.create import create_from_script

    try:
        thread = await create_from_script(client, script.to_body())
    except ThreadCreatedWithProblems as refused:
        raise Failure(await _clean_up(client, refused), INVALID_SCRIPT) from None
    except SuperstepsRejected as refused:
        line = f"the server rejected the supersteps: {refused.problem} (no thread was created)"
        raise Failure(line, INVALID_SCRIPT) from None
    print_json(thread_json(thread))
    return OK


async def _clean_up(client: DeploymentClient, refused: ThreadCreatedWithProblems) -> str:
    """The server applied the script after creating the row: remove the empty thread."""
    line = f"the server rejected the supersteps: {refused.problem}"
    if not refused.thread_id:
        return line
    try:
        await delete_thread(client, refused.thread_id)
    except DeploymentError:
        return f"{line} (it left thread {refused.thread_id} behind, empty)"
    return f"{line} (the empty thread it left was deleted)"


# -------------------------------------------------------------- parsers


def _uuid(text: str) -> str:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise argparse.ArgumentTypeError("must be a UUID") from None


def add_create_parser(subparsers: Subparsers) -> None:
    create = subparsers.add_parser(
        "create", help="create a thread: empty, or prepopulated from a superstep script",
        description="Create a thread — empty, or prepopulated from a superstep script (the "
        "JSON body POST /threads takes). The script is validated against the graph first; "
        "when it is invalid nothing is sent. Prints the created thread as JSON.",
    )
    create.add_argument("--script", metavar="FILE", help="a superstep script (JSON)")
    create.add_argument("--metadata", metavar="JSON",
                        help="metadata to merge into the script's, e.g. '{\"user\": \"ada\"}'")
    create.add_argument("--graph", metavar="ID",
                        help="the graph that applies the supersteps (sets metadata.graph_id)")
    create.add_argument("--thread-id", type=_uuid, metavar="UUID",
                        help="choose the new thread's id")
    create.add_argument("--if-exists", choices=("raise", "do_nothing"),
                        help="when --thread-id exists: fail (raise, the default) or return it")
    create.add_argument("--dry-run", action="store_true",
                        help="validate and print the request body; send nothing")
    create.add_argument("--json", action="store_true",
                        help="accepted for symmetry: create always prints the thread as JSON")
    add_command_handler(create, create_thread)
