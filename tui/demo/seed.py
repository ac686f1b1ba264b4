"""Seed a deployment with the bundled example conversations (``tui/demo/scripts/*.json``).

Each script is the exact ``POST /threads`` body (paste it into curl, or
``threadloom create --script``). Seeding validates every script against the graph's nodes first
(``tui.supersteps``), so a broken bundle fails before anything is sent. The approval
conversation ends with the AI's ``send_email`` tool call (``next == ["human_review"]``); one run
with no input then lets ``human_review`` call ``interrupt()``, so the thread waits for approval
exactly as a live one would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from tui.deployment import DeploymentClient, Thread
from tui.supersteps.files import ScriptFileError, loads_script
from tui.supersteps.model import Script
from tui.supersteps.validate import has_errors, validate

DEMO_GRAPH = "agent"
DEMO_TAG = "demo"  # metadata key naming the conversation, so users (and tests) can find it


class SeedError(RuntimeError):
    """A bundled script is invalid, or the server did not make of it what the demo expects."""


@dataclass(frozen=True)
class Conversation:
    name: str
    title: str
    run_to_interrupt: bool = False

    @property
    def file(self) -> str:
        return f"{self.name}.json"


# Created in this order; the thread list shows the newest first, so the greeting is on top.
CONVERSATIONS: tuple[Conversation, ...] = (
    Conversation("approval", "An email waiting for approval (interrupt)", run_to_interrupt=True),
    Conversation("tool_call", "A calculator tool call, two turns"),
    Conversation("greeting", "The docs' greeting (3 supersteps)"),
)


@dataclass(frozen=True)
class Seeded:
    conversation: Conversation
    thread: Thread


def script_text(name: str) -> str:
    return resources.files("tui.demo.scripts").joinpath(f"{name}.json").read_text("utf-8")


def load(name: str) -> Script:
    """The bundled script ``name`` (``greeting``, ``tool_call`` or ``approval``)."""
    try:
        return loads_script(script_text(name), f"tui/demo/scripts/{name}.json")
    except (FileNotFoundError, ScriptFileError) as exc:
        raise SeedError(f"bundled script {name!r} cannot be read: {exc}") from None


def check(node_names: list[str] | None = None) -> dict[str, Script]:
    """Every bundled script, validated (against ``node_names`` when given)."""
    scripts: dict[str, Script] = {}
    for conversation in CONVERSATIONS:
        script = load(conversation.name)
        problems = validate(script, node_names)
        if has_errors(problems):
            first = next(p for p in problems if p.severity == "error")
            raise SeedError(f"bundled script {conversation.file} is invalid: {first}")
        scripts[conversation.name] = script
    return scripts


async def seed(
    client: DeploymentClient, *, thread_ids: Mapping[str, str] | None = None
) -> list[Seeded]:
    """Create the demo threads; ``thread_ids`` (name → UUID) fixes their ids (screenshots).

    Raises :class:`SeedError` or a ``DeploymentError``.
    """
    graph = await client.assistants.graph(DEMO_GRAPH)
    scripts = check(graph.node_names)
    seeded: list[Seeded] = []
    for conversation in CONVERSATIONS:
        body = scripts[conversation.name].to_body()
        metadata = {**body.get("metadata", {}), DEMO_TAG: conversation.name}
        thread = await client.threads.create(
            metadata=metadata,
            thread_id=(thread_ids or {}).get(conversation.name),
            supersteps=body["supersteps"],
        )
        if conversation.run_to_interrupt:
            thread = await _run_to_interrupt(client, thread)
        seeded.append(Seeded(conversation, thread))
    return seeded


async def _run_to_interrupt(client: DeploymentClient, thread: Thread) -> Thread:
    """Resume the thread with no input: the pending node runs and calls ``interrupt()``."""
    await client.runs.wait(thread.thread_id, DEMO_GRAPH, input=None)
    state = await client.threads.get_state(thread.thread_id)
    if not state.interrupts:
        raise SeedError(
            f"the approval thread did not stop at an interrupt (next: {state.next})"
        )
    return await client.threads.get(thread.thread_id)
