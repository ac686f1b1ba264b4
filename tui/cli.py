"""``threadloom``: open the app on a deployment, run the demo, or script a deployment.

- ``threadloom [--url URL | --profile NAME] [--script FILE]`` opens the app;
- ``threadloom demo`` runs the app on the bundled local server (``tui.demo.launcher``);
- ``threadloom threads|create|export|state|run …`` are the scripting subcommands
  (``tui.commands``): ``--json`` output, one line on stderr and a distinct exit code on failure.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from tui import __version__
from tui.commands.common import (
    INTERRUPTED,
    USAGE,
    Failure,
    Parser,
    add_connection_flags,
    connection_from_args,
    fail_line,
)
from tui.commands.create import add_create_parser
from tui.commands.demo import add_demo_parser
from tui.commands.replay import add_export_parser, add_replay_parser
from tui.commands.run import add_run_parser
from tui.commands.threads import add_state_parser, add_threads_parser

__all__ = ["add_connection_flags", "build_parser", "connection_from_args", "main"]

EPILOG = """\
examples:
  threadloom demo                                 the app on a seeded local server
  threadloom --url http://127.0.0.1:2024          the app on `langgraph dev`
  threadloom --profile prod                       the app on a profile from config.toml
  threadloom threads list --json                  threads as JSON
  threadloom threads show|copy|delete THREAD      one thread: read it, copy it, delete it
  threadloom create --script convo.json           a prepopulated thread (validated first)
  threadloom export THREAD > convo.json           a thread's history as a superstep script
  threadloom replay THREAD --to-url URL           the same thread on another deployment
  threadloom state THREAD --checkpoint ID         the state at a checkpoint
  threadloom run THREAD "what is 6*7?"            run the graph, stream what it does

exit codes: 0 ok, 1 failed, 2 usage or config, 3 invalid script (nothing sent),
4 not found, 5 the run stopped at an interrupt (run), 6 export/replay would lose data
(nothing written), 130 interrupted. Every subcommand has --help.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="threadloom",
        description="A keyboard-driven terminal studio for LangGraph deployments. Without a "
        "command, opens the app.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"threadloom {__version__}")
    add_connection_flags(parser)
    parser.add_argument("--script", metavar="FILE", dest="app_script",
                        help="open a superstep script in the editor at start")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    add_demo_parser(commands)
    add_threads_parser(commands)
    add_create_parser(commands)
    add_export_parser(commands)
    add_replay_parser(commands)
    add_state_parser(commands)
    add_run_parser(commands)
    return parser


def _open_app(args: argparse.Namespace) -> int:
    try:
        spec = connection_from_args(args)
    except Failure as failure:
        fail_line(failure.message)
        return failure.code
    from tui.deployment.tls import warm_up

    warm_up(spec.verify_tls)  # made while Textual loads: the first page does not wait for it
    from tui.app.run import run_app

    return run_app(spec, script=args.app_script)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version (0) and usage errors (2)
        return exit_.code if isinstance(exit_.code, int) else USAGE
    try:
        handler = getattr(args, "handler", None)
        if handler is None:
            return _open_app(args)
        return int(handler(args))
    except KeyboardInterrupt:
        fail_line("interrupted")
        return INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
