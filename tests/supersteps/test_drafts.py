"""The autosaved draft: saved privately and atomically; a corrupt one is set aside, never fatal."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tui.supersteps import Draft, DraftStore, Script, set_graph_id


def test_no_draft_yet(tmp_path: Path) -> None:
    assert DraftStore(tmp_path / "state").load() is None


def test_save_then_load(tmp_path: Path, seed: Script) -> None:
    store = DraftStore(tmp_path / "state")

    store.save(seed, {"cursor": [2, 0], "file": "/tmp/x.json"})

    assert store.load() == Draft(seed, {"cursor": [2, 0], "file": "/tmp/x.json"})
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_save_replaces_the_previous_draft(tmp_path: Path, seed: Script) -> None:
    store = DraftStore(tmp_path)
    store.save(seed)

    store.save(set_graph_id(seed, "other"))

    draft = store.load()
    assert draft is not None
    assert draft.script.graph_id == "other"
    assert draft.ui_state == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.json"]


def test_clear(tmp_path: Path, seed: Script) -> None:
    store = DraftStore(tmp_path)
    store.save(seed)

    store.clear()
    store.clear()

    assert store.load() is None


@pytest.mark.parametrize(
    "content",
    [
        b"{ not json",
        b"\xff\xfe",
        b'{"format": "threadloom-draft", "version": 1, "script": {"supersteps": 3}}',
        b'{"format": "something-else", "version": 1, "script": {}}',
        b'{"format": "threadloom-draft", "version": 99, "script": {}}',
        b'{"format": "threadloom-draft", "version": 1, "ui_state": [], "script": {}}',
        b"[]",
        b"[" * 100_000,
    ],
)
def test_corrupt_draft_is_moved_aside(tmp_path: Path, content: bytes) -> None:
    store = DraftStore(tmp_path)
    store.path.write_bytes(content)

    assert store.load() is None

    assert not store.path.exists()
    assert store.corrupt_path.read_bytes() == content
    assert store.corrupt_path.name == "draft.json.corrupt"


def test_saving_after_corruption_keeps_the_corrupt_copy(tmp_path: Path, seed: Script) -> None:
    store = DraftStore(tmp_path)
    store.path.write_text("garbage")
    store.load()

    store.save(seed)

    assert store.corrupt_path.read_text() == "garbage"
    loaded = store.load()
    assert loaded is not None and loaded.script == seed


def test_draft_file_is_readable_json(tmp_path: Path, seed: Script) -> None:
    store = DraftStore(tmp_path, name="editor.json")
    store.save(seed, {"tab": "script"})

    document = json.loads(store.path.read_text())

    assert store.path.name == "editor.json"
    assert document["format"] == "threadloom-draft"
    assert document["script"] == seed.to_body()
    assert document["ui_state"] == {"tab": "script"}


def test_failed_save_keeps_the_previous_draft(
    tmp_path: Path, seed: Script, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DraftStore(tmp_path)
    store.save(seed)

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("read-only file system")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        store.save(set_graph_id(seed, "other"))
    monkeypatch.undo()

    loaded = store.load()
    assert loaded is not None and loaded.script == seed


def test_ui_state_must_be_json(tmp_path: Path, seed: Script) -> None:
    with pytest.raises(TypeError):
        DraftStore(tmp_path).save(seed, {"when": object()})
    assert not (tmp_path / "draft.json").exists()
