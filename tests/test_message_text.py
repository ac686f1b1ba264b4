"""The one message vocabulary: role names, and how content reads in each place that shows it."""

from __future__ import annotations

from tui.app.shared.chat_layout import content_text as chat_text
from tui.app.shared.chat_layout import role_of as chat_role
from tui.app.threads.thread_rows import preview_text
from tui.message_text import (
    PREVIEW,
    STREAM,
    SUMMARY,
    TRANSCRIPT,
    canonical_type,
    class_role,
    content_text,
)
from tui.supersteps.messages import summarize_message
from tui.supersteps.stream import role_of as stream_role
from tui.supersteps.stream import text_of

MIXED = ["plain", {"type": "text", "text": "hi"}, {"type": "image_url", "image_url": "u"},
         {"no": "type"}, 7, ""]


def test_text_reads_the_same_everywhere() -> None:
    for style in (SUMMARY, TRANSCRIPT, STREAM, PREVIEW):
        assert content_text("hello", style) == "hello"
        assert content_text(None, style) == ""
        assert content_text([{"type": "text", "text": "a"}, "b"], style).replace(
            style.join, "") == "ab"


def test_each_place_reads_other_parts_its_own_way() -> None:
    assert content_text(MIXED, SUMMARY) == "plain hi <image_url> <part> "
    assert content_text(MIXED, TRANSCRIPT).split("\n") == [
        "plain", "hi", '[image_url] {"type": "image_url", "image_url": "u"}',
        '[part] {"no": "type"}', "7", ""]
    assert content_text(MIXED, STREAM) == "plainhi"
    assert content_text(MIXED, PREVIEW) == 'plain hi ‹image_url› {"no": "type"} 7'
    assert content_text({"odd": 1}, SUMMARY) == content_text({"odd": 1}, PREVIEW) == '{"odd": 1}'
    assert content_text({"odd": 1}, STREAM) == ""


def test_the_callers_use_their_style() -> None:
    assert preview_text(MIXED) == content_text(MIXED, PREVIEW)
    assert text_of(MIXED) == content_text(MIXED, STREAM)
    assert chat_text({"type": "ai", "content": MIXED}) == content_text(MIXED, TRANSCRIPT)
    assert summarize_message({"type": "ai", "content": MIXED}, 200).preview == (
        "plain hi <image_url> <part>")


def test_role_names() -> None:
    assert [canonical_type(k) for k in ("user", "assistant", "developer", "tool", "AIMessage")] == [
        "human", "ai", "system", "tool", "AIMessage"]  # only what the server accepts
    assert [class_role(k) for k in ("AIMessageChunk", "HumanMessage", "ToolMessageChunk", "x")] == [
        "ai", "human", "tool", "x"]
    assert [stream_role(k) for k in ("AIMessageChunk", "user", "", None)] == [
        "ai", "user", "ai", "ai"]
    assert [chat_role(m) for m in ("hi", {"role": "user"}, {"type": "function"},
                                   {"type": "AIMessageChunk"}, ["assistant", "x"], 3)] == [
        "human", "human", "tool", "ai", "ai", "?"]
