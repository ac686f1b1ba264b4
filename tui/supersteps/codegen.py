"""Code that creates the thread a script describes: curl, Python SDK, JS SDK.

Secrets never appear as values: the API key is always an environment-variable reference, and
so is any extra header that looks like a credential (``Authorization``, ``*-token``, a
``Bearer …`` value, ...) — it is emitted as ``$HEADER_<NAME>``. A header value written as
``$NAME`` or ``${NAME}`` is taken as a reference to that variable. Each snippet starts with a
comment naming the variables it reads.

The API key is optional, as on ``langgraph dev`` (no auth): each snippet sends it only when its
variable is set, and runs as shown without it. curl: ``"x-api-key: ${NAME:-}"`` (curl drops a
header whose value is empty — measured with curl 7.88 — and ``:-`` keeps ``set -u`` shells
happy); Python: ``api_key=os.environ.get(NAME)`` (``None`` tells ``langgraph_sdk`` to send no
key, rather than to look in its own variables); JS: ``apiKey: process.env.NAME ?? null`` (same,
``null`` for ``@langchain/langgraph-sdk``). Other credential headers are required: a deployment
with custom auth needs them.

SDK quirks handled here (langgraph-sdk 0.4.14, @langchain/langgraph-sdk):
- Python's ``threads.create`` reads ``update["values"]`` and ``update["as_node"]`` of every
  update, so both keys are always written.
- JS's ``threads.create`` spells updates ``asNode`` and overwrites ``metadata.graph_id`` with its
  ``graphId`` option (undefined if not given), so ``graphId`` is always passed separately.
- Both SDKs send only the known fields: unknown keys of the script are not carried over.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tui.safe import json_text
from tui.supersteps.model import Script

__all__ = ["header_env_name", "is_secret_header", "to_curl", "to_js", "to_python"]

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ENV_REF = re.compile(r"^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
_PLAIN_HEADER_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_SECRET_NAMES = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "api-key", "cookie", "x-auth-token"}
)
_SECRET_WORDS = (
    "token",
    "secret",
    "key",
    "auth",
    "password",
    "passwd",
    "session",
    "credential",
    "signature",
    "cookie",
)
_SECRET_VALUE = re.compile(r"^(?:bearer|basic|token|digest)\s|^(?:lsv2_|sk-|ghp_|xox)", re.I)


def is_secret_header(name: str, value: str) -> bool:
    """Whether a header probably carries a credential (by its name or its value)."""
    lowered = name.lower()
    if lowered in _SECRET_NAMES or any(word in lowered for word in _SECRET_WORDS):
        return True
    return bool(_SECRET_VALUE.match(value.strip()))


def header_env_name(name: str) -> str:
    """The variable a secret header is read from: ``Authorization`` → ``HEADER_AUTHORIZATION``."""
    return "HEADER_" + re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper()


@dataclass(frozen=True)
class _Header:
    name: str
    value: str | None
    """The literal value, when not secret."""
    env: str | None
    """The variable holding the value, when secret."""
    api_key: bool = False
    """The ``x-api-key`` header made from ``api_key_env`` (the SDKs take it as ``api_key``)."""


def _check_env(name: str) -> str:
    if not _ENV_NAME.match(name):
        raise ValueError(f"not an environment variable name: {name!r}")
    return name


def _headers(api_key_env: str | None, headers: Mapping[str, str] | None) -> list[_Header]:
    result: list[_Header] = []
    if api_key_env is not None:
        result.append(_Header("x-api-key", None, _check_env(api_key_env), api_key=True))
    for name, value in (headers or {}).items():
        if not _HEADER_NAME.match(name):
            raise ValueError(f"not a valid header name: {name!r}")
        if any(ch in value for ch in "\r\n\0"):
            raise ValueError(f"header {name} has a line break in its value")
        lowered = name.lower()
        if lowered == "content-type" or (api_key_env is not None and lowered == "x-api-key"):
            continue
        reference = _ENV_REF.match(value.strip())
        if reference:
            result.append(_Header(name, None, reference.group(1) or reference.group(2)))
        elif is_secret_header(name, value):
            result.append(_Header(name, None, header_env_name(name)))
        else:
            result.append(_Header(name, value, None))
    return result


def _needs(headers: list[_Header], comment: str) -> list[str]:
    lines = [f"{comment} Sends the API key in {h.env} when it is set (a server without auth "
             "needs none)." for h in headers if h.api_key]
    names = [h.env for h in headers if h.env is not None and not h.api_key]
    if names:
        lines.append(f"{comment} Needs {', '.join(dict.fromkeys(names))} in the environment.")
    return lines


def _json(value: Any, **options: Any) -> str:
    """``json.dumps`` with non-ASCII kept, NaN refused and terminal-unsafe characters escaped
    (:func:`tui.safe.json_text`), so a generated snippet shown on screen or pasted into a shell
    carries no hidden control sequence (they only occur inside JSON strings, where an escape
    is the same value)."""
    return json_text(value, allow_nan=False, **options)


def _threads_url(url: str) -> str:
    return url.rstrip("/") + "/threads"


# -- curl ---------------------------------------------------------------------------------------


def _sq(text: str) -> str:
    """Single-quote for bash: nothing inside is expanded; ``'`` becomes ``'\\''``."""
    return "'" + text.replace("'", "'\\''") + "'"


def _curl_header(header: _Header) -> str:
    if header.env is None:
        return _sq(f"{header.name}: {header.value}")
    reference = f"${{{header.env}:-}}" if header.api_key else f"${header.env}"
    if _PLAIN_HEADER_NAME.match(header.name):
        return f'"{header.name}: {reference}"'
    return _sq(f"{header.name}: ") + f'"{reference}"'


def to_curl(
    script: Script,
    url: str,
    api_key_env: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> str:
    """A bash command; its ``--data`` is exactly ``script.to_body()`` as compact JSON."""
    resolved = _headers(api_key_env, headers)
    body = _json(script.to_body(), separators=(",", ":"))
    lines = [
        *_needs(resolved, "#"),
        "curl --request POST \\",
        f"    --url {_sq(_threads_url(url))} \\",
        f"    --header {_sq('Content-Type: application/json')} \\",
        *(f"    --header {_curl_header(h)} \\" for h in resolved),
        f"    --data {_sq(body)}",
    ]
    return "\n".join(lines) + "\n"


# -- Python -------------------------------------------------------------------------------------


def _py(value: Any, indent: int = 0) -> str:
    """A Python literal, laid out like black would: short containers inline, others one item
    per line. ``repr`` of JSON data (str, int, float, bool, None) is always valid Python."""
    flat = repr(value)
    if not isinstance(value, dict | list) or len(flat) + 4 * indent <= 88 or not value:
        return flat
    pad = "    " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{pad}{key!r}: {_py(item, indent + 1)}," for key, item in value.items()]
        return "{\n" + "\n".join(items) + "\n" + "    " * indent + "}"
    items = [f"{pad}{_py(item, indent + 1)}," for item in value]
    return "[\n" + "\n".join(items) + "\n" + "    " * indent + "]"


def _sdk_updates(script: Script, node_key: str, always_values: bool) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for step in script.supersteps:
        updates: list[dict[str, Any]] = []
        for update in step.updates:
            body = update.to_body()
            item: dict[str, Any] = {}
            if always_values or "values" in body:
                item["values"] = body.get("values")
            if "command" in body:
                item["command"] = body["command"]
            item[node_key] = update.as_node
            updates.append(item)
        steps.append({"updates": updates})
    return steps


def to_python(
    script: Script,
    url: str,
    api_key_env: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> str:
    """A runnable Python script using ``langgraph_sdk`` (``asyncio.run``)."""
    resolved = _headers(api_key_env, headers)
    client_args = [f"url={url!r}"]
    extra = [h for h in resolved if not h.api_key]
    if api_key_env is not None:
        client_args.append(f'api_key=os.environ.get("{api_key_env}")')
    if extra:
        pairs = ", ".join(
            f"{h.name!r}: " + (repr(h.value) if h.env is None else f'os.environ["{h.env}"]')
            for h in extra
        )
        client_args.append(f"headers={{{pairs}}}")
    create_args = ["metadata=METADATA", "supersteps=SUPERSTEPS"]
    for field in ("thread_id", "if_exists", "ttl"):
        value = getattr(script, field)
        if value is not None:
            create_args.append(f"{field}={_py(value, 2)}")
    needs = _needs(resolved, "#")
    lines = [
        '"""Create a prepopulated thread (generated by Threadloom)."""',
        *needs,
        "",
        "import asyncio",
        *(["import os"] if needs else []),
        "",
        "from langgraph_sdk import get_client",
        "",
        f"METADATA = {_py(script.metadata)}",
        "",
        f"SUPERSTEPS = {_py(_sdk_updates(script, 'as_node', always_values=True))}",
        "",
        "",
        "async def main() -> None:",
        "    client = get_client(",
        *(f"        {arg}," for arg in client_args),
        "    )",
        "    thread = await client.threads.create(",
        *(f"        {arg}," for arg in create_args),
        "    )",
        '    print(thread["thread_id"])',
        "",
        "",
        "asyncio.run(main())",
    ]
    return "\n".join(lines) + "\n"


# -- JavaScript ---------------------------------------------------------------------------------


def _js(value: Any, indent: int = 0) -> str:
    text = _json(value, indent=2)
    return text.replace("\n", "\n" + " " * indent)


def to_js(
    script: Script,
    url: str,
    api_key_env: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> str:
    """An ES module using ``@langchain/langgraph-sdk`` (top-level await)."""
    resolved = _headers(api_key_env, headers)
    client_fields = [f"apiUrl: {_js(url)}"]
    if api_key_env is not None:
        client_fields.append(f"apiKey: process.env.{api_key_env} ?? null")
    extra = [h for h in resolved if not h.api_key]
    if extra:
        pairs = ", ".join(
            f"{_js(h.name)}: " + (_js(h.value) if h.env is None else f"process.env.{h.env}")
            for h in extra
        )
        client_fields.append(f"defaultHeaders: {{ {pairs} }}")
    metadata = dict(script.metadata)
    graph_id = metadata.pop("graph_id", None)
    create_fields: list[str] = []
    if graph_id is not None:
        create_fields.append(f"graphId: {_js(graph_id)}")
    if metadata:
        create_fields.append(f"metadata: {_js(metadata, 2)}")
    for field, key in (("thread_id", "threadId"), ("if_exists", "ifExists"), ("ttl", "ttl")):
        value = getattr(script, field)
        if value is not None:
            create_fields.append(f"{key}: {_js(value, 2)}")
    supersteps = _sdk_updates(script, "asNode", always_values=False)
    create_fields.append(f"supersteps: {_js(supersteps, 2)}")
    lines = [
        "// Create a prepopulated thread (generated by Threadloom).",
        *_needs(resolved, "//"),
        'import { Client } from "@langchain/langgraph-sdk";',
        "",
        "const client = new Client({",
        *(f"  {field}," for field in client_fields),
        "});",
        "",
        "const thread = await client.threads.create({",
        *(f"  {field}," for field in create_fields),
        "});",
        "",
        "console.log(thread.thread_id);",
    ]
    return "\n".join(lines) + "\n"
