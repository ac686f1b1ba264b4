"""scripts/make_screenshots.py runs: the real app on a seeded local server, one SVG per pane."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = {
    "app": ["Threadloom", "http://127.0.0.1:2024", "interrupted", "send_email"],
    "threads": ["Hello! How can I assist you today?", "interrupted"],
    "viewer": ["what is 6*7?", "The result is 42."],
    "editor": ["call_model", "tool_call.json"],
    "help": ["Keys", "Quit"],
}


def shown(svg: str) -> str:
    return html.unescape(" ".join(re.findall(r">([^<>]+)</text>", svg))).replace("\xa0", " ")


def test_the_screenshots_script_makes_every_picture(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    env = {**os.environ, "THREADLOOM_HOME": str(tmp_path / "home")}

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_screenshots.py"), "--out", str(out)],
        capture_output=True, text=True, timeout=240, env=env, cwd=tmp_path, check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.svg" for n in EXPECTED)
    for name, words in EXPECTED.items():
        svg = (out / f"{name}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg"), name
        text = shown(svg)
        for word in words:
            assert word in text, (name, word)
        assert str(ROOT) not in text and str(tmp_path) not in text  # no machine paths
    assert not (tmp_path / "home").exists()  # the script never touches the user's home


def test_the_readme_shows_the_committed_screenshots() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    for name in EXPECTED:
        assert f"screenshots/{name}.svg" in readme
        assert (ROOT / "screenshots" / f"{name}.svg").is_file()
