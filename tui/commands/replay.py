"""``threadloom export`` (a thread as a checked superstep script) and ``threadloom replay``
(the same thread recreated on another deployment, compared there)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.commands.common import (
    OK,
    USAGE,
    Failure,
    Subparsers,
    add_command_handler,
    add_thread_arg,
    print_json,
    safe_json,
    warn_line,
)
from tui.commands.threads import thread_json

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient
    from tui.services.export_outcome import ExportOutcome

WOULD_LOSE = 6  # the script would not recreate the thread exactly (nothing was written)


def _report(outcome: ExportOutcome, *, lossy: bool, what: str) -> None:
    """Losses on stderr; a refusal (without ``lossy``) as a :class:`Failure`."""
    for note in outcome.notes:
        if not outcome.checked:
            warn_line(note)
    for warning in outcome.warnings:
        warn_line(warning)
    if not outcome.losses:
        return
    lines = [loss.line() for loss in outcome.losses]
    if not lossy:
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        raise Failure(
            f"{what} would not recreate the thread exactly: {lines[0]}{more}; nothing was "
            "written (--lossy writes the best script anyway)", WOULD_LOSE,
        )
    for line in lines:
        warn_line(f"lossy: {line}")


async def export_command(args: argparse.Namespace, client: DeploymentClient) -> int:
    from tui.services.export import NoGraph, export_thread
    from tui.supersteps.files import save_script
    from tui.supersteps.history_export import HistoryExportError

    try:
        outcome = await export_thread(
            client, args.thread, graph_id=args.graph, compact=args.compact,
            verify=args.verify, lossy=args.lossy,
        )
    except NoGraph as exc:
        raise Failure(f"{exc}: pass --graph to say which graph should replay it", USAGE) from None
    except HistoryExportError as exc:
        raise Failure(f"cannot export thread {args.thread}: {exc}") from None
    _report(outcome, lossy=args.lossy, what="the export")
    script = outcome.script
    if args.output:
        try:
            save_script(args.output, script)
        except OSError as exc:
            raise Failure(f"cannot write {args.output}: {exc.strerror or exc}") from None
        count = len(script.supersteps)
        print(f"Wrote {count} superstep{'s' if count != 1 else ''} to {args.output}",
              file=sys.stderr)
    else:
        sys.stdout.write(safe_json(script.to_body()) + "\n")
    return OK


async def replay_command(args: argparse.Namespace, client: DeploymentClient) -> int:
    from tui.commands.common import connection_from_args
    from tui.services.export import NoGraph, replay_thread
    from tui.supersteps.history_export import HistoryExportError

    target_args = argparse.Namespace(
        url=args.to_url, profile=args.to_profile, api_key_env=args.to_api_key_env,
        header=list(args.to_header or []),
    )
    target_spec = connection_from_args(target_args)
    async with target_spec.client() as target:
        try:
            outcome = await replay_thread(client, args.thread, target, graph_id=args.graph,
                                          lossy=args.lossy, keep_id=args.keep_id)
        except NoGraph as exc:
            raise Failure(f"{exc}: pass --graph to say which graph should replay it",
                          USAGE) from None
        except HistoryExportError as exc:
            raise Failure(f"cannot replay thread {args.thread}: {exc}") from None
    _report(outcome, lossy=args.lossy, what="the replay")
    assert outcome.thread is not None
    print_json(thread_json(outcome.thread))
    return OK


def add_export_parser(subparsers: Subparsers) -> None:
    export = subparsers.add_parser(
        "export", help="print a thread's history as a superstep script",
        description="Print a thread's whole checkpoint history as a superstep script that "
        "recreates it (`threadloom create --script FILE` replays it, here or on another "
        "deployment of the same graph). The script is checked by replaying it on a temporary "
        "thread of the same deployment (deleted afterwards): when it would not recreate the "
        f"thread exactly, nothing is written, the checkpoint and what differs are named, and "
        f"the exit code is {WOULD_LOSE}.",
    )
    add_thread_arg(export)
    export.add_argument("--graph", metavar="ID",
                        help="the graph to name in the script (default: the thread's)")
    export.add_argument("--compact", action="store_true",
                        help="leave out the default fields the server adds to every message "
                        "(the same thread is recreated)")
    export.add_argument("--lossy", action="store_true",
                        help="write the best script even when it would not recreate the thread "
                        "exactly (what differs is printed on stderr)")
    export.add_argument("--no-verify", dest="verify", action="store_false",
                        help="do not check by a replay (nothing is created on the deployment); "
                        "steps whose writes the server does not record then count as losses")
    export.add_argument("-o", "--output", metavar="FILE",
                        help="write the script to FILE instead of stdout")
    add_command_handler(export, export_command)


def add_replay_parser(subparsers: Subparsers) -> None:
    replay = subparsers.add_parser(
        "replay", help="recreate a thread on another deployment (export + create, compared)",
        description="Recreate THREAD (read through the connection flags) on another deployment "
        "of the same graph, built and compared there checkpoint by checkpoint. Prints the new "
        f"thread as JSON. A replay that differs is removed and the exit code is {WOULD_LOSE} "
        "(--lossy keeps it).",
    )
    add_thread_arg(replay)
    target = replay.add_mutually_exclusive_group(required=True)
    target.add_argument("--to-url", metavar="URL", help="the target deployment's URL")
    target.add_argument("--to-profile", metavar="NAME", help="the target's profile")
    replay.add_argument("--to-api-key-env", metavar="NAME",
                        help="the variable holding the target's API key")
    replay.add_argument("--to-header", action="append", metavar='"Name: value"',
                        help="an extra request header for the target (repeatable)")
    replay.add_argument("--graph", metavar="ID",
                        help="the graph that replays it (default: the thread's)")
    replay.add_argument("--keep-id", action="store_true",
                        help="give the new thread the same id as the original")
    replay.add_argument("--lossy", action="store_true",
                        help="keep the replay even when it differs (what differs goes to "
                        "stderr)")
    add_command_handler(replay, replay_command)
