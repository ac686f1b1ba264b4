"""Script files: pretty, stable JSON; clear one-line errors; atomic writes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tui.supersteps import (
    Script,
    ScriptFileError,
    add_superstep,
    atomic_write_text,
    dumps_script,
    load_script,
    loads_script,
    save_script,
)

from .data import SEED_BODY


def test_dumps_is_pretty_stable_and_ends_with_a_newline(seed: Script) -> None:
    text = dumps_script(seed)

    assert text.endswith("}\n")
    assert text.startswith('{\n  "metadata": {\n    "graph_id": "agent"\n  },\n  "supersteps": [')
    assert json.loads(text) == SEED_BODY
    assert dumps_script(loads_script(text)) == text


def test_dumps_keeps_unicode_readable() -> None:
    script = Script(metadata={"graph_id": "agent", "title": "café ☕"})

    assert '"café ☕"' in dumps_script(script)


def test_save_and_load_round_trip(tmp_path: Path, seed: Script) -> None:
    path = tmp_path / "scripts" / "hello.json"

    save_script(path, seed)

    assert load_script(path) == seed
    assert path.read_text(encoding="utf-8") == dumps_script(seed)
    assert [p.name for p in path.parent.iterdir()] == ["hello.json"]


def test_load_accepts_a_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(SEED_BODY).encode())

    assert load_script(path).graph_id == "agent"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"

    with pytest.raises(ScriptFileError) as caught:
        load_script(path)

    assert str(caught.value) == f"{path}: no such file"
    assert caught.value.path == path


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ScriptFileError, match="is a directory"):
        load_script(tmp_path)


def test_not_json_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "metadata": {"graph_id": "agent"},\n  "supersteps": [,]\n}\n')

    with pytest.raises(ScriptFileError) as caught:
        load_script(path)

    error = caught.value
    assert (error.line, error.column) == (3, 18)
    assert str(error) == f"{path}:3:18: not valid JSON: Expecting value"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"metadata": {"graph_id": "caf\xe9"}}')

    with pytest.raises(ScriptFileError, match="not UTF-8 text"):
        load_script(path)


def test_wrong_shape_names_the_place(tmp_path: Path) -> None:
    path = tmp_path / "shape.json"
    path.write_text('{"supersteps": [{"updates": [{"as_node": 1}]}]}')

    with pytest.raises(ScriptFileError) as caught:
        load_script(path)

    assert str(caught.value) == (
        f"{path}: not a superstep script: supersteps[0].updates[0].as_node: "
        "must be a node name (string), not a number"
    )
    assert "\n" not in str(caught.value)


def test_unreadable_file(tmp_path: Path) -> None:
    # A folder where a file was expected cannot be read, even by root (who ignores chmod).
    path = tmp_path / "a-folder.json"
    path.mkdir()

    with pytest.raises(ScriptFileError) as caught:
        load_script(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert "\n" not in str(caught.value)


# -- atomic writes ------------------------------------------------------------------------------


def test_failed_replace_leaves_the_old_file_and_no_temp(
    tmp_path: Path, seed: Script, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "script.json"
    save_script(path, seed)
    before = path.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        save_script(path, add_superstep(seed))

    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["script.json"]


def test_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "notes.txt"
    atomic_write_text(path, "old\n")

    def broken_fsync(fd: int) -> None:
        raise OSError("no space left")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="no space left"):
        atomic_write_text(path, "new\n")

    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_mode_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "private.json"

    atomic_write_text(path, "{}", mode=0o600)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_existing_mode_is_kept_by_default(tmp_path: Path) -> None:
    path = tmp_path / "shared.json"
    path.write_text("x")
    path.chmod(0o640)

    atomic_write_text(path, "y")

    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_text() == "y"


def test_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "new.json", "{}")
    finally:
        os.umask(old)

    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_writing_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)

    atomic_write_text(link, "new")

    assert link.is_symlink()
    assert real.read_text() == "new"


def test_text_is_written_exactly(tmp_path: Path) -> None:
    path = tmp_path / "exact.txt"
    text = "line\r\nünïcode ✓\n"

    atomic_write_text(path, text)

    assert path.read_bytes() == text.encode("utf-8")
