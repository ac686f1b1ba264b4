"""The chat widget's model: messages, their bubbles, and where each bubble's lines start.

No widget here: :class:`Transcript` keeps the messages (with a revision per message so cached
layouts know when they are stale), groups them into bubbles (an AI message and the tool
messages answering its calls), and lays bubbles out lazily — ``offsets`` covers the bubbles
laid out so far, and grows on demand or in background slices.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from tui.app.shared.chat_layout import Block, Line, layout_block, message_id, role_of, tool_calls

ESTIMATE = 4
"""Lines per bubble assumed before any is laid out."""


class Transcript:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.revs: list[int] = []
        self.by_id: dict[str, int] = {}
        self.blocks: list[Block] = []
        self.block_of: dict[int, int] = {}
        self.offsets: list[int] = [0]
        """Line where each laid-out bubble starts (and where the last one ends)."""
        self.width = 0
        self.expanded: set[int] = set()
        self.all_details = False
        self._cache: dict[tuple[Any, ...], tuple[list[Line], bool]] = {}

    # ---------------------------------------------------------------- messages

    def set_messages(self, messages: Sequence[Any]) -> None:
        self.messages = list(messages)
        self.revs = [0] * len(self.messages)
        self._cache.clear()
        self.expanded.clear()
        self.by_id = {mid: i for i, m in enumerate(self.messages)
                      if (mid := message_id(m)) is not None}

    def upsert(self, message: Any) -> tuple[int, int | None]:
        """Store ``message`` (replacing the one with its id); returns (its index, the bubble
        to lay out again) — bubble None means the bubbles must be rebuilt."""
        mid = message_id(message)
        index = self.by_id.get(mid) if mid is not None else None
        if index is None:
            index = len(self.messages)
            self.messages.append(message)
            self.revs.append(0)
            if mid is not None:
                self.by_id[mid] = index
            if tool_calls(message) or role_of(message) == "tool" or self.laid < len(
                    self.blocks):
                return index, None
            self.block_of[index] = len(self.blocks)
            self.blocks.append(Block(index))
            return index, len(self.blocks) - 1
        before = [call.get("id") for call in tool_calls(self.messages[index])]
        self.messages[index] = message
        self.revs[index] += 1
        number = self.block_of.get(index)
        same_calls = before == [call.get("id") for call in tool_calls(message)]
        if number is None or not same_calls or role_of(message) == "tool":
            return index, None
        return index, number

    def build_blocks(self) -> None:
        blocks: list[Block] = []
        block_of: dict[int, int] = {}
        open_calls: dict[str, int] = {}
        for index, message in enumerate(self.messages):
            if isinstance(message, dict):
                call_id = message.get("tool_call_id")
                if isinstance(call_id, str) and call_id in open_calls and (
                        role_of(message) == "tool"):
                    owner = open_calls.pop(call_id)
                    blocks[owner].results[call_id] = index
                    block_of[index] = owner
                    continue
                if message.get("tool_calls"):
                    for call in tool_calls(message):
                        if isinstance(call.get("id"), str):
                            open_calls[call["id"]] = len(blocks)
            block_of[index] = len(blocks)
            blocks.append(Block(index))
        self.blocks = blocks
        self.block_of = block_of

    # ---------------------------------------------------------------- layout

    @property
    def laid(self) -> int:
        return len(self.offsets) - 1

    @property
    def complete(self) -> bool:
        return self.laid >= len(self.blocks)

    def reset_layout(self, width: int) -> None:
        if width != self.width:
            self._cache.clear()
            self.width = width
        self.offsets = [0]

    def extend(self, count: int) -> None:
        """Lay out bubbles until ``count`` of them are (or all are)."""
        offsets = self.offsets
        total = offsets[-1]
        for number in range(self.laid, min(count, len(self.blocks))):
            total += len(self.lines(number)[0])
            offsets.append(total)

    def extend_to_line(self, line: int) -> None:
        while self.offsets[-1] <= line and not self.complete:
            self.extend(self.laid + 50)

    def relayout(self, number: int) -> bool:
        """Bubble ``number`` changed; shift the ones after it. True when the height changed."""
        if number == self.laid:  # just appended
            self.extend(number + 1)
            return True
        if number > self.laid:
            return False
        old = self.offsets[number + 1] - self.offsets[number]
        delta = len(self.lines(number)[0]) - old
        if delta:
            self.offsets[number + 1:] = [o + delta for o in self.offsets[number + 1:]]
        return bool(delta)

    def height(self) -> int:
        """Lines of the laid-out bubbles plus an estimate for the rest."""
        laid = self.laid
        average = self.offsets[-1] // laid if laid else ESTIMATE
        return max(self.offsets[-1] + average * (len(self.blocks) - laid), 1)

    def locate(self, line: int) -> tuple[int, int] | None:
        """(bubble, line within it) at ``line``, laying out as far as needed."""
        if line >= self.offsets[-1]:
            self.extend_to_line(line)
            if line >= self.offsets[-1]:
                return None
        number = bisect.bisect_right(self.offsets, line) - 1
        return number, line - self.offsets[number]

    def span(self, number: int) -> tuple[int, int]:
        """First line and end line of bubble ``number``."""
        self.extend(number + 1)
        return self.offsets[number], self.offsets[number + 1]

    def lines(self, number: int, *, full: bool = False) -> tuple[list[Line], bool]:
        """(lines, folded) of bubble ``number``; ``full`` ignores folding (for find)."""
        block = self.blocks[number]
        expanded = full or block.index in self.expanded
        results = tuple((i, self.revs[i]) for i in block.results.values()) if (
            block.results) else ()
        key = (block.index, self.revs[block.index], results, expanded, self.all_details)
        cached = self._cache.get(key)
        if cached is None:
            cached = layout_block(self.messages, block, self.width or 80, expanded=expanded,
                                  details=self.all_details or block.index in self.expanded)
            self._cache[key] = cached
        return cached

    # ---------------------------------------------------------------- find

    def find(self, query: str) -> list[tuple[int, int, int]]:
        """(bubble, line in its unfolded layout, column) of every case-insensitive hit."""
        hits: list[tuple[int, int, int]] = []
        for number in range(len(self.blocks)):
            lines, folded = self.lines(number)
            if folded:
                lines = self.lines(number, full=True)[0]
            for offset, (_, text, _) in enumerate(lines):
                lowered = text.lower()
                column = lowered.find(query)
                while column >= 0:
                    hits.append((number, offset, column))
                    column = lowered.find(query, column + len(query))
        return hits
