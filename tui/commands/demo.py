"""``threadloom demo``: the parser; the lifecycle lives in :mod:`tui.demo.launcher`."""

from __future__ import annotations

import argparse

from tui.commands.common import Subparsers


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be a TCP port (1–65535)")
    return value


def run(args: argparse.Namespace) -> int:
    from tui.demo.launcher import run_demo

    return run_demo(
        open_app=not args.no_app, port=args.port, seed_threads=not args.no_seed,
        script=args.script, as_json=args.json,
    )


def add_demo_parser(subparsers: Subparsers) -> None:
    demo = subparsers.add_parser(
        "demo", help="run the app on the bundled local Agent Server, seeded with examples",
        description="Start the bundled real Agent Server (`langgraph dev`, the demo graph) on a "
        "free loopback port in a temporary directory, create three example threads (the docs' "
        "greeting, a tool-calling conversation, an email waiting at an approval interrupt), open "
        "the app on it, and stop the server when the app exits. Needs the demo extra: "
        'pip install "threadloom[demo]".',
    )
    demo.add_argument("--no-app", action="store_true",
                      help="only start and seed the server; print its URL and wait for Ctrl+C")
    demo.add_argument("--port", type=_port, help="listen on this port (default: a free one)")
    demo.add_argument("--no-seed", action="store_true", help="start with no threads")
    demo.add_argument("--script", metavar="FILE", help="open a superstep script in the editor")
    demo.add_argument("--json", action="store_true",
                      help="with --no-app: print the URL, pid and threads as one JSON line")
    demo.set_defaults(handler=run)
