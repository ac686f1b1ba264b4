"""What the live code-generation tests need besides the server: the real JS SDK and a recorder.

- The JS SDK: ``@langchain/langgraph-sdk`` at :data:`JS_SDK`, installed once with npm from the
  registry into pytest's cache directory (``.pytest_cache/d/langgraph-sdk-js``: ~20 packages,
  ~6 s the first time) and reused. No node, or an install that fails, fails the test loudly:
  the JS snippet is part of what the editor offers, so it is never skipped.
- The recorder: a loopback HTTP proxy in front of the real server that forwards every request
  unchanged and remembers its method, path and headers, so a test can see whether a snippet
  sent an ``x-api-key`` (the local server itself accepts any key, or none).
"""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.servers.proc import exclusive

JS_SDK = "@langchain/langgraph-sdk@1.15.0"


def install_js_sdk(where: Path) -> Path:
    """``where`` with the JS SDK in its ``node_modules`` (installed when missing, by one
    process at a time: parallel test workers share the directory)."""
    with exclusive(where.with_name(where.name + ".lock")):
        return _install_js_sdk(where)


def _install_js_sdk(where: Path) -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("the JS snippet test needs node and npm on PATH (node 18 or later)")
    marker = where / "node_modules" / "@langchain" / "langgraph-sdk" / "package.json"
    if marker.exists() and JS_SDK.rsplit("@", 1)[1] in marker.read_text():
        return where
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(where), JS_SDK],
        capture_output=True, text=True, timeout=300,
    )
    if done.returncode != 0 or not marker.exists():
        pytest.fail(f"could not install {JS_SDK} from the npm registry:\n{done.stderr[-2000:]}")
    return where


def run_js(code: str, sdk_dir: Path, env: dict[str, str]) -> str:
    """Run a JS snippet as a module next to the installed SDK; the thread id it prints."""
    script = sdk_dir / f"create_thread-{uuid.uuid4().hex}.mjs"
    script.write_text(code)
    try:
        done = subprocess.run(["node", str(script)], capture_output=True, text=True, env=env,
                              cwd=sdk_dir, timeout=120)
    finally:
        script.unlink()
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@dataclass
class Recorder:
    url: str
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)


def start_recorder(upstream: str) -> tuple[Recorder, http.server.ThreadingHTTPServer]:
    client = httpx.Client(base_url=upstream, timeout=60)
    recorder = Recorder("")

    class Forward(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            recorder.seen.append((self.command, self.path, headers))
            sent = {k: v for k, v in headers.items() if k not in ("host", "content-length")}
            answer = client.request(self.command, self.path, content=body, headers=sent)
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection",
                                        "content-encoding"):
                    self.send_header(name, value)
            self.send_header("content-length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return recorder, server
