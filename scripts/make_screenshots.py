"""Make the README's screenshots: the real app, on a real local Agent Server seeded by
``threadloom demo``'s seeding, at a fixed terminal size.

    .venv/bin/python scripts/make_screenshots.py            # writes screenshots/*.svg
    .venv/bin/python scripts/make_screenshots.py --out /tmp/shots --only viewer

Thread ids are fixed (uuid5), the header shows http://127.0.0.1:2024 whatever port the server
got, and the user's config is not read, so the pictures change only when the app does.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402

from tui.app.app import ThreadloomApp  # noqa: E402
from tui.config import ConnectionSpec, Settings  # noqa: E402
from tui.demo.seed import CONVERSATIONS, seed  # noqa: E402
from tui.demo.server import LocalServer  # noqa: E402
from tui.deployment import DeploymentClient  # noqa: E402

DISPLAY_URL = "http://127.0.0.1:2024"
SIZE = (160, 48)
SCRIPTS = ROOT / "tui" / "demo" / "scripts"
IDS = {c.name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"threadloom-demo/{c.name}"))
       for c in CONVERSATIONS}


class Rewrite(httpx.AsyncBaseTransport):
    """Talk to the real server while the app shows ``DISPLAY_URL`` (nothing is faked)."""

    def __init__(self, real_url: str) -> None:
        self._real = httpx.URL(real_url)
        self._transport = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(host=self._real.host, port=self._real.port)
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._transport.aclose()


Setup = Callable[[Pilot[int]], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    name: str
    caption: str
    expect: tuple[str, ...]  # words the picture must show (else it is not ready or wrong)
    setup: Setup | None = None
    script: str | None = None  # a bundled script, opened by its file name


async def _open_approval(pilot: Pilot[int]) -> None:
    pilot.app.select_thread(IDS["approval"])  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("3")


async def _zoom_viewer_on_tools(pilot: Pilot[int]) -> None:
    pilot.app.select_thread(IDS["tool_call"])  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("3")
    await pilot.press("z")


async def _zoom_threads(pilot: Pilot[int]) -> None:
    await pilot.press("1")
    await pilot.press("z")


async def _zoom_editor(pilot: Pilot[int]) -> None:
    await pilot.press("2")
    await pilot.press("z")


async def _help(pilot: Pilot[int]) -> None:
    await pilot.press("f1")


SHOTS = [
    Shot("app", "The whole studio: threads on top, the superstep editor and the state viewer "
         "below, on the approval thread waiting at its interrupt.",
         ("Threadloom", "interrupted", "send_email", "call_model"), _open_approval,
         "tool_call.json"),
    Shot("threads", "The thread list: paged search over a deployment's threads.",
         ("interrupted", "Hello!"), _zoom_threads),
    Shot("viewer", "The state viewer on the calculator conversation.",
         ("what is 6*7?",), _zoom_viewer_on_tools),
    Shot("editor", "The superstep editor with a script open.",
         ("call_model",), _zoom_editor, "tool_call.json"),
    Shot("help", "Every key that works, from the help screen (F1).", ("Quit",), _help),
]


async def settle(pilot: Pilot[int], rounds: int = 3) -> None:
    """Let workers finish and the screen repaint."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.2)


def svg_text(svg: str) -> str:
    """The characters an SVG screenshot shows (to check a picture before keeping it)."""
    return html.unescape(" ".join(re.findall(r">([^<>]+)</text>", svg))).replace("\xa0", " ")


async def take(shot: Shot, server_url: str, out: Path, size: tuple[int, int],
               timeout: float = 30.0) -> Path:
    app = ThreadloomApp(
        ConnectionSpec(url=DISPLAY_URL), settings=Settings(),
        script=shot.script, transport=Rewrite(server_url),
    )
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if shot.setup is not None:
            await shot.setup(pilot)
        deadline = time.monotonic() + timeout
        while True:
            await settle(pilot, 1)
            svg = app.export_screenshot(title=f"Threadloom — {shot.name}")
            missing = [word for word in shot.expect if word not in svg_text(svg)]
            if not missing:
                break
            if time.monotonic() > deadline:
                (out / f"{shot.name}.failed.svg").write_text(svg, encoding="utf-8")
                raise RuntimeError(f"screenshot {shot.name!r} never showed {missing}")
        path = out / f"{shot.name}.svg"
        path.write_text(svg, encoding="utf-8")
        return path


async def _seed(url: str) -> None:
    async with DeploymentClient(url, api_key=None) as client:
        await seed(client, thread_ids=IDS)


async def make(out: Path, *, only: list[str] | None = None,
               size: tuple[int, int] = SIZE) -> list[Path]:
    """Write the screenshots into ``out``. The app runs in a scratch folder with its own
    THREADLOOM_HOME (no user config, no drafts from earlier runs), and opens scripts by their
    short name, so no machine path shows."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    shots = [s for s in SHOTS if not only or s.name in only]
    saved_cwd, saved_home = Path.cwd(), os.environ.get("THREADLOOM_HOME")
    with tempfile.TemporaryDirectory(prefix="threadloom-shots-") as scratch, \
            LocalServer() as server:
        for script in SCRIPTS.glob("*.json"):
            shutil.copy(script, Path(scratch) / script.name)
        os.chdir(scratch)
        try:
            await _seed(server.url)
            paths = []
            for shot in shots:  # a home of its own each: drafts do not carry over
                os.environ["THREADLOOM_HOME"] = str(Path(scratch) / f"home-{shot.name}")
                paths.append(await take(shot, server.url, out, size))
            return paths
        finally:
            os.chdir(saved_cwd)
            if saved_home is None:
                os.environ.pop("THREADLOOM_HOME", None)
            else:
                os.environ["THREADLOOM_HOME"] = saved_home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots",
                        help="where to write the SVGs (default: screenshots/)")
    parser.add_argument("--only", action="append", choices=[s.name for s in SHOTS],
                        help="make only this screenshot (repeatable)")
    args = parser.parse_args(argv)
    for path in asyncio.run(make(args.out, only=args.only)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
