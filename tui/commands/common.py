"""What every scripting subcommand shares: exit codes, one-line failures, safe output.

A command is an ``async def (args, client) -> int``; :func:`run_command` connects, runs it and
turns every failure into ONE line on stderr and a distinct exit code. Output is terminal-safe:
human text goes through :mod:`tui.safe`, and JSON escapes the characters a terminal would act on
(C1 controls, DEL, bidi overrides) as ``\\uXXXX`` — the same JSON value, nothing lost.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeAlias

from tui import paths
from tui.deployment import DeploymentError, NotFound
from tui.safe import json_text, one_line
from tui.spec import ConfigError, ConnectionSpec, spec_from_flags

if TYPE_CHECKING:
    from tui.deployment import DeploymentClient

OK = 0
FAILED = 1
USAGE = 2  # bad flags, config or connection settings
INVALID_SCRIPT = 3  # the script is not valid (nothing was sent)
NOT_FOUND = 4  # the thread, checkpoint or graph does not exist
AT_INTERRUPT = 5  # `threadloom run`: the run stopped at an interrupt() (waits for --resume)
INTERRUPTED = 130

Command: TypeAlias = "Callable[[argparse.Namespace, DeploymentClient], Awaitable[int]]"


class Failure(Exception):
    """A command failed in a way the user can act on: ``message`` is the one line to print."""

    def __init__(self, message: str, code: int = FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def fail_line(message: str, stream: TextIO | None = None) -> None:
    """Print ``threadloom: <message>`` as one safe line on stderr."""
    print(f"threadloom: {one_line(message, 1000)}", file=stream or sys.stderr)


def warn_line(message: str, stream: TextIO | None = None) -> None:
    print(f"threadloom: warning: {one_line(message, 1000)}", file=stream or sys.stderr)


def code_for(error: DeploymentError) -> int:
    return NOT_FOUND if isinstance(error, NotFound) else FAILED


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is ONE line on stderr (exit 2), like every other failure."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: {one_line(message, 1000)} (see {self.prog} --help)\n")


Subparsers: TypeAlias = "argparse._SubParsersAction[Parser]"


# -------------------------------------------------------------- connection flags


def add_connection_flags(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """The app's connection flags. ``suppress`` (for subcommands): absent flags leave the
    top-level values alone, so ``threadloom --url X threads list`` and
    ``threadloom threads list --url X`` mean the same."""
    default: Any = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--url", default=default,
        help="the deployment's URL (default: the default profile, else http://127.0.0.1:2024 "
        "where `langgraph dev` listens)",
    )
    group.add_argument("--profile", default=default, help="a named profile from config.toml")
    group.add_argument(
        "--api-key-env", metavar="NAME", default=default,
        help="the environment variable holding the API key (default: LANGGRAPH_API_KEY, "
        "LANGSMITH_API_KEY, LANGCHAIN_API_KEY)",
    )
    group.add_argument(
        "--header", action="append", metavar='"Name: value"',
        dest="sub_header" if suppress else "header", default=default if suppress else [],
        help="an extra request header (repeatable); a value of $NAME is read from the "
        "environment",
    )


def add_command_handler(parser: argparse.ArgumentParser, command: Command) -> None:
    """The last of a subcommand's flags: the connection flags (see
    :func:`add_connection_flags`), and ``command`` as what runs it (:func:`run_command`)."""
    add_connection_flags(parser, suppress=True)
    parser.set_defaults(handler=lambda args: run_command(command, args))


def connection_from_args(args: argparse.Namespace) -> ConnectionSpec:
    """Flags over profile over defaults; raises :class:`Failure` (exit 2) when unusable.

    The config file is read only when a profile can matter (``--profile``, or no ``--url``):
    ``--url`` alone resolves without it, and without loading pydantic."""
    headers = [*getattr(args, "header", []), *getattr(args, "sub_header", [])]
    url = getattr(args, "url", None)
    profile = getattr(args, "profile", None)
    api_key_env = getattr(args, "api_key_env", None)
    try:
        if profile is None and (url is not None or not paths.config_file().exists()):
            return spec_from_flags(url, api_key_env=api_key_env, headers=headers)
        from tui.config import load_settings, resolve_connection

        return resolve_connection(load_settings(), url=url, profile=profile,
                                  api_key_env=api_key_env, headers=headers)
    except (ConfigError, ValueError) as exc:
        raise Failure(str(exc), USAGE) from None


def run_command(command: Command, args: argparse.Namespace) -> int:
    """Resolve the connection, run ``command`` and map failures to exit codes."""
    try:
        spec = connection_from_args(args)
        return asyncio.run(_with_client(command, args, spec))
    except Failure as failure:
        fail_line(failure.message)
        return failure.code
    except DeploymentError as error:
        fail_line(error.message)
        return code_for(error)
    except (KeyboardInterrupt, asyncio.CancelledError):  # Ctrl+C (see _ctrl_c_cancels)
        fail_line("interrupted")
        return INTERRUPTED
    except BrokenPipeError:  # `threadloom threads list | head`
        _silence_stdout()
        return OK


async def _with_client(command: Command, args: argparse.Namespace, spec: ConnectionSpec) -> int:
    with _ctrl_c_cancels():
        async with spec.client() as client:
            await resolve_thread_args(args, client)
            return await command(args, client)


@contextlib.contextmanager
def _ctrl_c_cancels() -> Iterator[None]:
    """Ctrl+C cancels the command's task: a command can catch that to clean up (``run``
    cancels its run on the server), and a second Ctrl+C cancels the clean-up too.

    ``asyncio.run`` cancels it too, but from a plain ``signal.signal`` handler, which runs only
    when the main thread wakes: a SIGINT that lands just before the loop blocks on a silent
    stream (or in another thread) waited there until the server next sent something (measured:
    3.7 s on ``langgraph dev``, which sends a heartbeat every 5 s). The loop's own signal
    handler wakes it. An ignored SIGINT stays ignored (a shell starts background jobs so)."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    previous = signal.getsignal(signal.SIGINT)
    installed = False
    if task is not None and previous is not signal.SIG_IGN:
        # (Windows, or not the main thread: asyncio.run's own handler, where it has one.)
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGINT, task.cancel)
            installed = True
    try:
        yield
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGINT)
            if previous is not None:  # (asyncio.run then puts back the default on its way out)
                signal.signal(signal.SIGINT, previous)


class ThreadArg(str):
    """A THREAD argument as typed: the full id or a prefix / suffix of it (see
    :mod:`tui.services.ids`). :func:`run_command` replaces it with the full id before the
    command runs."""


def thread_arg(text: str) -> ThreadArg:
    """argparse ``type`` for THREAD: hex digits (dashes allowed), all or part of an id."""
    from tui.services.ids import compact

    if compact(text) is None or not text.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a thread id, nor its first or last characters (hex digits)")
    return ThreadArg(text.strip())


THREAD_HELP = ("the thread id, or its first or last characters (the list shows the last 8); "
               "they must name one thread")


def add_thread_arg(parser: argparse.ArgumentParser) -> None:
    """The THREAD positional of a subcommand about one thread (see :func:`thread_arg`)."""
    parser.add_argument("thread", metavar="THREAD", type=thread_arg, help=THREAD_HELP)


async def resolve_thread(client: DeploymentClient, text: str) -> str:
    """The full id of the one thread ``text`` names: several → usage error (exit 2, the
    matches named), none → not found (exit 4)."""
    from tui.services.ids import AmbiguousId, IdNotFound, resolve_thread_id

    try:
        return await resolve_thread_id(client, text)
    except AmbiguousId as exc:
        raise Failure(exc.message, USAGE) from None
    except IdNotFound as exc:
        raise Failure(exc.message, NOT_FOUND) from None
    except ValueError as exc:
        raise Failure(str(exc), USAGE) from None


async def resolve_thread_args(args: argparse.Namespace, client: DeploymentClient) -> None:
    """Every :class:`ThreadArg` of ``args`` (alone or in a list) replaced by its full id."""
    for name, value in vars(args).items():
        if isinstance(value, ThreadArg):
            setattr(args, name, await resolve_thread(client, value))
        elif isinstance(value, list) and any(isinstance(v, ThreadArg) for v in value):
            setattr(args, name, [await resolve_thread(client, v) if isinstance(v, ThreadArg)
                                 else v for v in value])


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# -------------------------------------------------------------- parsing helpers


def json_object_arg(text: str | None, flag: str) -> dict[str, Any] | None:
    """``--metadata '{"k": "v"}'`` → dict; a clear usage failure otherwise."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise Failure(f"{flag} is not valid JSON: {exc}", USAGE) from None
    if not isinstance(value, dict):
        raise Failure(f"{flag} must be a JSON object like '{{\"key\": \"value\"}}'", USAGE)
    return value


# -------------------------------------------------------------- output

def safe_json(value: Any, *, indent: int | None = 2) -> str:
    """JSON text a terminal shows literally (:func:`tui.safe.json_text`: C1 controls, DEL, line
    separators and bidi overrides escaped too; valid JSON, same value)."""
    return json_text(value, indent=indent, allow_nan=False, default=str)


def print_json(value: Any) -> None:
    print(safe_json(value))


def terminal_width() -> int | None:
    """The terminal's width when stdout is one (tables then fit it), else None (pipes: whole)."""
    try:
        return shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    except (AttributeError, ValueError, OSError):
        return None


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, limits: Sequence[int],
          width: int | None = None) -> str:
    """A plain, aligned text table; every cell is sanitized to one line and cut to its limit.

    With ``width``, the last column is cut further so that rows fit on one line."""
    cells = [[one_line(cell, limit) for cell, limit in zip(row, limits, strict=True)]
             for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    if width is not None and cells:
        room = width - sum(widths[:-1]) - 2 * (len(widths) - 1)
        last = max(room, len(headers[-1]), 8)
        if widths[-1] > last:
            cells = [[*row[:-1], one_line(row[-1], last)] for row in cells]
            widths[-1] = last
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    )
    return "\n".join(lines)


def add_json_flag(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--json", action="store_true", help=f"print {what} as JSON (for scripts and CI)"
    )
