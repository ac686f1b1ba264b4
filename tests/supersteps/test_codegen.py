"""Generated curl / Python / JS: valid, equivalent to the script's body, and never a secret.

Equivalence is checked by running the snippets as far as possible without a server: the curl
command through real bash (with ``curl`` replaced by a function printing its arguments), the
Python through the real ``langgraph_sdk`` ``ThreadsClient.create`` with a capturing transport,
and the JS through node with a stand-in for ``@langchain/langgraph-sdk`` that does what its
``threads.create`` does (copied from langgraphjs ``libs/sdk/src/client.ts``).
"""

from __future__ import annotations

import ast
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.reliability.hostile import raw_unsafe
from tui.supersteps import (
    Script,
    header_env_name,
    human,
    is_secret_header,
    to_curl,
    to_js,
    to_python,
)

from .data import SEED_BODY
from .strategies import scripts

URL = "http://127.0.0.1:2024/"
SECRET = "Bearer sk-live-0123456789abcdef"
HOSTILE = "it's \"quoted\" $HOME `id` $(id) \\ !! \n\t☕ '\\''"

HOSTILE_SCRIPT = Script.from_body(
    {
        "metadata": {"graph_id": "agent", "note": HOSTILE},
        "supersteps": [
            {"updates": [{"as_node": "__input__", "values": {}}]},
            {"updates": [{"as_node": "__start__", "values": {"messages": [human(HOSTILE)]}}]},
            {
                "updates": [
                    {
                        "as_node": "tools",
                        "command": {"goto": [{"node": "tools", "input": {"q": HOSTILE}}]},
                    }
                ]
            },
        ],
    }
)


def words(curl: str) -> list[str]:
    """The command's words as bash sees them (shlex does not join ``\\``-newline lines)."""
    return shlex.split(curl.replace("\\\n", ""), comments=True)


def data_argument(curl: str) -> str:
    tokens = words(curl)
    return tokens[tokens.index("--data") + 1]


def headers_of(curl: str) -> list[str]:
    tokens = words(curl)
    return [tokens[i + 1] for i, token in enumerate(tokens) if token == "--header"]


# -- curl ---------------------------------------------------------------------------------------


def test_curl_data_is_exactly_the_body(seed: Script) -> None:
    curl = to_curl(seed, URL)

    data = data_argument(curl)
    assert json.loads(data) == SEED_BODY
    assert data == json.dumps(seed.to_body(), ensure_ascii=False, separators=(",", ":"))
    assert words(curl)[:5] == ["curl", "--request", "POST", "--url", URL + "threads"]
    assert "'http://127.0.0.1:2024/threads'" in curl


def test_curl_quotes_hostile_text() -> None:
    assert json.loads(data_argument(to_curl(HOSTILE_SCRIPT, URL))) == HOSTILE_SCRIPT.to_body()


def test_curl_api_key_is_an_env_reference(seed: Script) -> None:
    curl = to_curl(seed, URL, api_key_env="LANGGRAPH_API_KEY")

    assert '--header "x-api-key: ${LANGGRAPH_API_KEY:-}"' in curl
    assert "x-api-key: ${LANGGRAPH_API_KEY:-}" in headers_of(curl)
    assert curl.startswith("# Sends the API key in LANGGRAPH_API_KEY when it is set (a server "
                           "without auth needs none).\n")


def test_curl_secret_headers_become_env_references(seed: Script) -> None:
    curl = to_curl(
        seed,
        URL,
        headers={"Authorization": SECRET, "X-Tenant": "acme", "X-Session-Token": "abc"},
    )

    assert SECRET not in curl and "abc" not in curl.replace("acme", "")
    assert headers_of(curl) == [
        "Content-Type: application/json",
        "Authorization: $HEADER_AUTHORIZATION",
        "X-Tenant: acme",
        "X-Session-Token: $HEADER_X_SESSION_TOKEN",
    ]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_curl_runs_in_bash_with_env_values_expanded(tmp_path: Path) -> None:
    snippet = to_curl(
        HOSTILE_SCRIPT, URL, api_key_env="MY_KEY", headers={"Authorization": "$AUTH_VALUE"}
    )
    program = (
        f'curl() {{ "{sys.executable}" -c "import json, sys; print(json.dumps(sys.argv[1:]))" '
        '"$@"; }\n' + snippet
    )
    env = {**os.environ, "MY_KEY": "k-123", "AUTH_VALUE": "Bearer t-456", "HOME": "/nowhere"}

    result = subprocess.run(
        ["bash", "-c", program], capture_output=True, text=True, env=env, check=True, timeout=30
    )

    argv = json.loads(result.stdout)
    assert json.loads(argv[argv.index("--data") + 1]) == HOSTILE_SCRIPT.to_body()
    assert "x-api-key: k-123" in argv
    assert "Authorization: Bearer t-456" in argv
    assert argv[argv.index("--url") + 1] == "http://127.0.0.1:2024/threads"


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_curl_round_trips_any_script(script: Script) -> None:
    assert json.loads(data_argument(to_curl(script, URL))) == script.to_body()


# -- Python -------------------------------------------------------------------------------------


def module_constants(source: str) -> dict[str, Any]:
    tree = ast.parse(source)
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }


def sdk_updates(script: Script) -> list[dict[str, Any]]:
    """What the Python SDK needs: every update with values and as_node keys."""
    return [
        {
            "updates": [
                {
                    "values": update.to_body().get("values"),
                    **({"command": update.command.to_body()} if update.command else {}),
                    "as_node": update.as_node,
                }
                for update in step.updates
            ]
        }
        for step in script.supersteps
    ]


def test_python_is_valid_and_carries_the_script(seed: Script) -> None:
    source = to_python(seed, URL)

    compile(source, "generated.py", "exec")
    constants = module_constants(source)
    assert constants["METADATA"] == {"graph_id": "agent"}
    assert constants["SUPERSTEPS"] == sdk_updates(seed)
    assert "get_client(\n        url='http://127.0.0.1:2024/'," in source
    assert "asyncio.run(main())" in source
    assert "import os" not in source


def test_python_api_key_and_headers_are_env_references(seed: Script) -> None:
    source = to_python(
        seed, URL, api_key_env="LANGGRAPH_API_KEY", headers={"Authorization": SECRET, "X-A": "b"}
    )

    compile(source, "generated.py", "exec")
    assert SECRET not in source
    assert 'api_key=os.environ.get("LANGGRAPH_API_KEY"),' in source
    assert "headers={'Authorization': os.environ[\"HEADER_AUTHORIZATION\"], 'X-A': 'b'}," in source
    assert "import os\n" in source


def test_python_passes_thread_options() -> None:
    script = Script.from_body(
        {
            **SEED_BODY,
            "thread_id": "6f1c4a52-4a55-4f4c-9a29-0d1c1d3a6d51",
            "if_exists": "do_nothing",
            "ttl": {"ttl": 60, "strategy": "delete"},
        }
    )

    source = to_python(script, URL)

    compile(source, "generated.py", "exec")
    assert "thread_id='6f1c4a52-4a55-4f4c-9a29-0d1c1d3a6d51'," in source
    assert "if_exists='do_nothing'," in source
    assert "ttl={'ttl': 60, 'strategy': 'delete'}," in source


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_python_is_valid_for_any_script(script: Script) -> None:
    source = to_python(script, URL, api_key_env="KEY")

    constants = module_constants(source)
    assert constants["METADATA"] == script.metadata
    assert constants["SUPERSTEPS"] == sdk_updates(script)


def test_python_sends_the_body_through_the_real_sdk() -> None:
    sdk_client = pytest.importorskip("langgraph_sdk.client")
    sent: list[dict[str, Any]] = []

    class CapturingHttp:
        async def post(self, path: str, *, json: Any, **_: Any) -> dict[str, str]:
            assert path == "/threads"
            sent.append(json)
            return {"thread_id": "t-1"}

    class FakeClient:
        def __init__(self, **kwargs: Any) -> None:
            self.kwargs = kwargs
            self.threads = sdk_client.ThreadsClient(CapturingHttp())

    clients: list[FakeClient] = []

    def fake_get_client(**kwargs: Any) -> FakeClient:
        clients.append(FakeClient(**kwargs))
        return clients[-1]

    source = to_python(HOSTILE_SCRIPT, URL, api_key_env="MY_KEY", headers={"X-A": "b"})
    source = source.replace("from langgraph_sdk import get_client\n", "")
    namespace: dict[str, Any] = {"get_client": fake_get_client, "print": lambda *a: None}
    os.environ.setdefault("MY_KEY", "k")
    exec(compile(source, "generated.py", "exec"), namespace)

    assert clients[0].kwargs["api_key"] == os.environ["MY_KEY"]
    assert clients[0].kwargs["headers"] == {"X-A": "b"}
    body = sent[0]
    for step in body["supersteps"]:  # the SDK always sends both keys
        for update in step["updates"]:
            for key in ("values", "command"):
                if update[key] is None:
                    del update[key]
    assert body == HOSTILE_SCRIPT.to_body()


# -- JavaScript ---------------------------------------------------------------------------------

# What @langchain/langgraph-sdk's Client does with these options (libs/sdk/src/client.ts).
FAKE_SDK = """
export class Client {
  constructor(config) { this.config = config; this.threads = this; }
  async create(payload) {
    const json = {
      metadata: { ...payload?.metadata, graph_id: payload?.graphId },
      thread_id: payload?.threadId,
      if_exists: payload?.ifExists,
      supersteps: payload?.supersteps?.map((s) => ({
        updates: s.updates.map((u) => ({
          values: u.values, command: u.command, as_node: u.asNode,
        })),
      })),
      ttl: payload?.ttl,
    };
    process.stderr.write(JSON.stringify({ config: this.config, body: json }));
    return { thread_id: "t-1" };
  }
}
"""


def run_js(source: str, tmp_path: Path, env: dict[str, str]) -> dict[str, Any]:
    package = tmp_path / "node_modules" / "@langchain" / "langgraph-sdk"
    package.mkdir(parents=True)
    (package / "package.json").write_text(
        '{"name": "@langchain/langgraph-sdk", "type": "module", "main": "index.js"}'
    )
    (package / "index.js").write_text(FAKE_SDK)
    (tmp_path / "create.mjs").write_text(source)
    result = subprocess.run(
        ["node", "create.mjs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "t-1"
    return json.loads(result.stderr)  # type: ignore[no-any-return]


needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs node")


@needs_node
def test_js_sends_the_body(tmp_path: Path) -> None:
    script = Script.from_body({**HOSTILE_SCRIPT.to_body(), "if_exists": "do_nothing"})

    source = to_js(script, URL, api_key_env="MY_KEY", headers={"Authorization": "$AUTH"})
    sent = run_js(source, tmp_path, {"MY_KEY": "k-1", "AUTH": "Bearer z"})

    assert sent["config"] == {
        "apiUrl": URL,
        "apiKey": "k-1",
        "defaultHeaders": {"Authorization": "Bearer z"},
    }
    body = {k: v for k, v in sent["body"].items()}
    assert body == script.to_body()


@needs_node
def test_js_keeps_graph_id_even_though_the_sdk_overwrites_metadata(
    tmp_path: Path, seed: Script
) -> None:
    # The SDK sets metadata.graph_id from its graphId option, undefined when not given.
    sent = run_js(to_js(seed, URL), tmp_path, {})

    assert sent["body"]["metadata"] == {"graph_id": "agent"}
    assert sent["config"] == {"apiUrl": URL}


def test_js_shape(seed: Script) -> None:
    source = to_js(seed, URL, api_key_env="LANGGRAPH_API_KEY", headers={"Authorization": SECRET})

    assert SECRET not in source
    assert '"asNode": "__input__"' in source and "as_node" not in source
    assert 'graphId: "agent",' in source and "metadata:" not in source
    assert "apiKey: process.env.LANGGRAPH_API_KEY ?? null," in source
    assert '"Authorization": process.env.HEADER_AUTHORIZATION' in source


@needs_node
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_js_syntax_for_any_script(script: Script) -> None:
    source = to_js(script, URL, api_key_env="KEY")
    result = subprocess.run(
        ["node", "--input-type=module", "--check"],
        input=source,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# -- secrets and names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        ("Authorization", "x", True),
        ("x-api-key", "x", True),
        ("X-Tenant-Token", "x", True),
        ("Cookie", "a=b", True),
        ("X-Custom", "Bearer abc", True),
        ("X-Custom", "lsv2_pt_abc", True),
        ("X-Tenant", "acme", False),
        ("Accept-Language", "en", False),
    ],
)
def test_is_secret_header(name: str, value: str, secret: bool) -> None:
    assert is_secret_header(name, value) is secret


def test_header_env_name() -> None:
    assert header_env_name("Authorization") == "HEADER_AUTHORIZATION"
    assert header_env_name("x-tenant.token") == "HEADER_X_TENANT_TOKEN"


@pytest.mark.parametrize("generate", [to_curl, to_python, to_js])
def test_secret_values_never_appear(generate: Any, seed: Script) -> None:
    headers = {"Authorization": SECRET, "x-api-key": "lsv2_sk_secret", "Cookie": "sid=s3cr3t"}

    out = generate(seed, URL, api_key_env=None, headers=headers)

    assert "sk-live" not in out and "lsv2_sk_secret" not in out and "s3cr3t" not in out


@pytest.mark.parametrize("generate", [to_curl, to_python, to_js])
def test_explicit_env_references_are_used(generate: Any, seed: Script) -> None:
    out = generate(seed, URL, headers={"X-Token": "${MY_TOKEN}", "X-Other": "$OTHER"})

    assert "MY_TOKEN" in out and "OTHER" in out
    assert "${MY_TOKEN}" not in out
    assert "HEADER_X_TOKEN" not in out


@pytest.mark.parametrize("generate", [to_curl, to_python, to_js])
def test_api_key_header_is_not_duplicated(generate: Any, seed: Script) -> None:
    out = generate(
        seed, URL, api_key_env="K", headers={"X-API-Key": "literal", "content-type": "x"}
    )

    assert "literal" not in out
    assert "HEADER_X_API_KEY" not in out
    assert out.lower().count("content-type: x") == 0


@pytest.mark.parametrize("generate", [to_curl, to_python, to_js])
@pytest.mark.parametrize(
    ("api_key_env", "headers"),
    [
        ("BAD-NAME", None),
        ("$(rm -rf ~)", None),
        (None, {"Bad Name": "x"}),
        (None, {"X-Ok": "line\nbreak"}),
    ],
)
def test_unsafe_names_and_values_are_refused(
    generate: Any, seed: Script, api_key_env: str | None, headers: dict[str, str] | None
) -> None:
    with pytest.raises(ValueError):
        generate(seed, URL, api_key_env=api_key_env, headers=headers)


def test_non_plain_header_names_with_env_are_quoted_safely(seed: Script) -> None:
    curl = to_curl(seed, URL, headers={"X-$weird!": "$TOKEN"})

    assert "X-$weird!: $TOKEN" in headers_of(curl)
    assert "'X-$weird!: '\"$TOKEN\"" in curl


@pytest.mark.parametrize("generate", [to_curl, to_python, to_js])
def test_terminal_control_characters_never_appear_raw(generate: Any) -> None:
    nasty = "a\x1b]0;title\x07b\x9b31mc\u202ed\x7fe\u2066f\u2028g\u2029h\x00i"
    script = Script.from_body(
        {"metadata": {"graph_id": "agent", "note": nasty},
         "supersteps": [{"updates": [{"as_node": "__start__", "values": {nasty: nasty}}]}]}
    )

    code = generate(script, URL)

    assert raw_unsafe(code) == [] and "\t" not in code
    if generate is to_curl:
        assert json.loads(data_argument(code)) == script.to_body()
