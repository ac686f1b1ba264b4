"""``threadloom``: open the app on a deployment (the scripting subcommands grow here)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tui import __version__
from tui.config import ConfigError, ConnectionSpec, load_settings, resolve_connection


def add_connection_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument("--url", help="the deployment's URL (default: the default profile, "
                       "else http://127.0.0.1:2024 where `langgraph dev` listens)")
    group.add_argument("--profile", help="a named profile from the config file")
    group.add_argument("--api-key-env", metavar="NAME",
                       help="the environment variable holding the API key (default: "
                       "LANGGRAPH_API_KEY, LANGSMITH_API_KEY, LANGCHAIN_API_KEY)")
    group.add_argument("--header", action="append", default=[], metavar='"Name: value"',
                       help="an extra request header (repeatable); a value of $NAME is read "
                       "from the environment")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threadloom",
        description="A keyboard-driven terminal studio for LangGraph deployments.",
    )
    parser.add_argument("--version", action="version", version=f"threadloom {__version__}")
    add_connection_flags(parser)
    parser.add_argument("--script", metavar="FILE", help="open a superstep script at start")
    return parser


def connection_from_args(args: argparse.Namespace) -> ConnectionSpec:
    settings = load_settings()
    return resolve_connection(
        settings, url=args.url, profile=args.profile, api_key_env=args.api_key_env,
        headers=args.header,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        spec = connection_from_args(args)
    except (ConfigError, ValueError) as exc:
        print(f"threadloom: {exc}", file=sys.stderr)
        return 2
    from tui.app.run import run_app

    return run_app(spec, script=args.script)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
