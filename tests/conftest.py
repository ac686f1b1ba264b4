"""Shared fixtures: one real Agent Server for the whole test session.

By default the server is ``langgraph dev`` on the bundled demo graph (in-memory runtime), started
by the same launcher ``threadloom demo`` uses, on a free 127.0.0.1 port. ``--server pg`` (or
``THREADLOOM_TEST_SERVER=pg``) starts the stock Agent Server on Postgres + Redis instead, and a
URL points the suite at an existing deployment (see tests/servers/__init__.py). The server's log
is attached to the report of any failing test.
"""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.servers import ENV_VAR, SuiteServer, chosen_kind, start_local, start_server
from tests.support import record_notifications, reserve_port
from tui.deployment import DeploymentClient

_SERVER: SuiteServer | None = None
DURATIONS = Path(__file__).with_name("durations.json")
UNKNOWN_TEST_SECONDS = 0.5  # a file not in DURATIONS yet: its tests guessed at this each

# Hypothesis's "input generation is slow" check measures wall time: on six workers sharing two
# cores a property's generation can take over its 1 s allowance by waiting for a core (seen:
# tests/supersteps/test_properties.py, 8 inputs in 1.02 s under load). Speed is the benches'
# job, not a health check's; every other check, and each test's own settings, stay.
settings.register_profile("suite", suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--server", default=None, metavar="KIND",
        help=f"the Agent Server the tests talk to: inmem (default), pg, or a deployment URL "
        f"(also ${ENV_VAR})",
    )
    parser.addoption(
        "--store-durations", action="store_true",
        help=f"write how long each test file took to {DURATIONS.name} (the order the parallel "
        "workers take the files in: longest first)",
    )


def pytest_configure(config: pytest.Config) -> None:
    try:
        chosen_kind(config.getoption("--server"))
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    if not hasattr(config, "workerinput") and PREPASS_VAR not in os.environ:
        compile_sources(config.rootpath)
        if config.getoption("numprocesses", None):
            rewrite_tests_once(config)
    if hasattr(config.option, "loadscopereorder"):
        # pytest-xdist's --dist loadfile hands out files by their number of tests; ours are
        # ordered by their measured time instead (pytest_collection_modifyitems), so the
        # longest files start first and no worker is left running one alone at the end.
        config.option.loadscopereorder = False


def compile_sources(root: Path) -> None:
    """Compile the project's modules once, before the workers start (only those changed).

    With ``PYTHONDONTWRITEBYTECODE`` set (as on the machines this runs on) Python writes no
    bytecode, so every process compiled ``tui`` and the test helpers again: each worker, and
    each CLI and demo process the tests start. Measured once on a clean clone: 391 → 367 s of
    CPU, 218 → 205 s."""
    if not sys.dont_write_bytecode:
        return  # Python writes them as it imports
    for name in ("tui", "tests"):
        compileall.compile_dir(root / name, quiet=1)


PREPASS_VAR = "THREADLOOM_TESTS_REWRITE_PREPASS"


def rewrite_tests_once(config: pytest.Config) -> None:
    """Have pytest rewrite the test modules' asserts once, here, instead of in every worker.

    pytest reads a rewritten module from ``__pycache__`` even when ``PYTHONDONTWRITEBYTECODE``
    keeps it from writing one, so on a clean clone each worker rewrote all ~140 test modules
    (2.9 s of CPU each, while the workers start together on two cores). One collection with
    bytecode allowed writes them for all (~4 s, once); it is skipped when every test module
    already has a rewritten copy newer than itself."""
    if not sys.dont_write_bytecode:
        return  # the first worker to import a module writes it for the others
    tag = sys.implementation.cache_tag
    sources = [path for path in (config.rootpath / "tests").rglob("*.py")
               if path.name == "conftest.py" or path.name.startswith("test_")]

    def rewritten(source: Path) -> bool:
        copies = (source.parent / "__pycache__").glob(f"{source.stem}.{tag}-pytest-*.pyc")
        return any(copy.stat().st_mtime >= source.stat().st_mtime for copy in copies)

    if all(rewritten(source) for source in sources):
        return
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env[PREPASS_VAR] = "1"
    subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist",
                    "-p", "no:cacheprovider", "--rootdir", str(config.rootpath), "tests"],
                   cwd=config.rootpath, env=env, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


_FILE_TIMES: dict[str, float] = {}


def measured_durations() -> dict[str, float]:
    return json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}  # type: ignore[no-any-return]


def file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Test files longest first, by DURATIONS (each file's tests together and in their order,
    as ``--dist loadfile`` runs them): on parallel workers the suite ends when its longest
    files do, so those start first."""
    known = measured_durations()
    counts: dict[str, int] = {}
    for item in items:
        counts[file_of(item.nodeid)] = counts.get(file_of(item.nodeid), 0) + 1
    first = {name: index for index, name in enumerate(counts)}

    def weight(name: str) -> float:
        return known.get(name, counts[name] * UNKNOWN_TEST_SECONDS)

    position = {id(item): index for index, item in enumerate(items)}
    items.sort(key=lambda item: (-weight(file_of(item.nodeid)), first[file_of(item.nodeid)],
                                 position[id(item)]))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Each test's setup, call and teardown time, by file (for ``--store-durations``; on
    parallel workers the controller sees every worker's reports)."""
    name = file_of(report.nodeid)
    _FILE_TIMES[name] = _FILE_TIMES.get(name, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if not config.getoption("--store-durations") or hasattr(config, "workerinput"):
        return
    known = measured_durations()
    known.update({name: round(seconds, 1) for name, seconds in _FILE_TIMES.items()})
    existing = {name: seconds for name, seconds in known.items()
                if (config.rootpath / name).exists()}
    DURATIONS.write_text(json.dumps(dict(sorted(existing.items())), indent=1) + "\n")


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [f"threadloom test server: {chosen_kind(config.getoption('--server'))}"]
    if config.option.markexpr == "not aegra":  # addopts' default
        lines.append("the tests against Aegra (tests/aegra) are left out: run them with -m aegra")
    return lines


@pytest.fixture
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, drafts and logs go to a temporary THREADLOOM_HOME, never the user's; no API key
    from the real environment. Autouse in the app, CLI and Aegra tests (their conftest) and in
    the reliability app tests (tests/reliability/test_app_support.py); not suite-wide, as
    Hypothesis tests may use no function-scoped fixture."""
    home = tmp_path / "threadloom-home"
    monkeypatch.setenv("THREADLOOM_HOME", str(home))
    for var in ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    return home


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Let the last test's widgets go. Textual keeps the style caches of the last 1,024 widgets
    alive, painted lines and all (an ``lru_cache`` on a ``StylesCache`` method holds each
    instance): across the suite's apps ~400,000 objects that every full collection walks, a
    quarter of an app test's CPU time (measured on tests/app/test_sizes_snapshots.py: 49 s →
    37 s). Why private: Textual offers no public way to drop it; an app the user runs keeps it
    bounded at 1,024."""
    from textual._styles_cache import StylesCache

    StylesCache.get_inner_outer.cache_clear()


@pytest.fixture
def reserved_port() -> Iterator[int]:
    """A port only this test uses, free while its server is down (see ``reserve_port``)."""
    with reserve_port() as port:
        yield port


@pytest.fixture(scope="session", autouse=True)
def notifications_recorded() -> Iterator[None]:
    """Every app's notifications are kept for ``tests.support.said`` (session-wide, so the
    Hypothesis tests may have it too)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        record_notifications(monkeypatch)
        yield


@pytest.fixture(scope="session")
def server_kind(request: pytest.FixtureRequest) -> str:
    return chosen_kind(request.config.getoption("--server"))


@pytest.fixture(scope="session")
def server(server_kind: str) -> Iterator[SuiteServer]:
    global _SERVER
    started = start_server(server_kind)
    _SERVER = started
    try:
        yield started
    finally:
        _SERVER = None
        started.stop()


@pytest.fixture(scope="session")
def server_url(server: SuiteServer) -> str:
    return server.url


@pytest.fixture
def fresh_server(server_kind: str) -> Iterator[SuiteServer]:
    """A server of its own, empty (inmem ≈1.5 s, pg ≈2.5 s to start), for tests that need an
    exact data set. Against a deployment URL it is a local in-memory one: a shared deployment
    cannot be made empty."""
    local = start_local(server_kind)
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture
async def client(server_url: str) -> AsyncIterator[DeploymentClient]:
    async with DeploymentClient(server_url, api_key=None) as connected:
        yield connected


@pytest.fixture
async def sdk(server_url: str):  # type: ignore[no-untyped-def]
    """The official SDK client: the oracle for what the server should contain."""
    from langgraph_sdk import get_client

    sdk_client = get_client(url=server_url, api_key=None)
    try:
        yield sdk_client
    finally:
        await sdk_client.aclose()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.failed and _SERVER is not None:
        tail = "\n".join(_SERVER.log().splitlines()[-60:])
        report.sections.append(("Agent Server log (last 60 lines)", tail))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):  # type: ignore[no-untyped-def]
    """A parallel worker finished (pytest-xdist): collect what its tests counted."""
    from tests.reliability.conftest import merge_worker_stats

    merge_worker_stats(getattr(node, "workeroutput", {}))


def pytest_terminal_summary(terminalreporter):  # type: ignore[no-untyped-def]
    from tests.reliability.conftest import summary_line

    line = summary_line()
    if line:
        terminalreporter.write_line(line)
