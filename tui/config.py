"""Settings and connection profiles, read from ``config.toml`` (see :mod:`tui.paths`).

```toml
default_profile = "local"
auto_refresh_seconds = 0          # 0: refresh the thread list only on demand

[profiles.local]
url = "http://127.0.0.1:2024"

[profiles.prod]
url = "https://my-deployment.us.langgraph.app"
api_key_env = "LANGSMITH_API_KEY"  # the variable's NAME: keys are never stored here
headers = { "X-Tenant" = "acme", "Authorization" = "$PROD_BEARER" }  # "$NAME": from env

[keys]                             # override key bindings by binding id
"threads.refresh" = "ctrl+r"
```
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tui import paths
from tui.deployment import DeploymentClient, Timeouts
from tui.deployment.http import api_key_from_env
from tui.fileio import atomic_write_text

DEFAULT_URL = "http://127.0.0.1:2024"


class ConfigError(Exception):
    """The config file cannot be used; the message says which file and what is wrong."""


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = DEFAULT_URL
    api_key_env: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    timeout_seconds: float = Field(default=30.0, gt=0)
    verify_tls: bool = True

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default_profile: str | None = None
    auto_refresh_seconds: float = Field(default=0.0, ge=0)
    profiles: dict[str, Profile] = Field(default_factory=dict)
    keys: dict[str, str] = Field(default_factory=dict)


def load_settings(path: Path | None = None) -> Settings:
    """The settings in ``path`` (default: the XDG config file); defaults when it is absent."""
    path = path or paths.config_file()
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: {where}: {first['msg']}") from None


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically with mode 0600 (headers may hold references to secrets)."""
    path = path or paths.config_file()
    data = settings.model_dump(mode="json", exclude_defaults=True)
    atomic_write_text(path, tomli_w.dumps(data), mode=0o600)
    return path


@dataclass(frozen=True)
class ConnectionSpec:
    """A resolved connection: what the command line and the profile together ask for."""

    url: str
    profile: str | None = None
    api_key_env: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    timeout_seconds: float = 30.0
    verify_tls: bool = True

    def api_key(self, env: dict[str, str] | None = None) -> str | None:
        return api_key_from_env(env, name=self.api_key_env)

    def resolved_headers(self, env: dict[str, str] | None = None) -> dict[str, str]:
        """Header values; ``$NAME`` values are read from the environment."""
        source = os.environ if env is None else env
        out: dict[str, str] = {}
        for name, value in self.headers.items():
            if value.startswith("$") and len(value) > 1:
                value = source.get(value[1:], "")
            if value:
                out[name] = value
        return out

    def client(self, transport: httpx.AsyncBaseTransport | None = None) -> DeploymentClient:
        """A client for this connection; ``transport`` only for tests."""
        # TLS is verified by default; httpx honours SSL_CERT_FILE / SSL_CERT_DIR for a custom CA.
        return DeploymentClient(
            self.url,
            api_key=self.api_key(),
            headers=self.resolved_headers(),
            timeouts=Timeouts(read=self.timeout_seconds, write=self.timeout_seconds),
            verify=self.verify_tls,
            transport=transport,
        )

    def describe(self) -> str:
        """For the header line: the URL and profile, never a secret."""
        return f"{self.url} ({self.profile})" if self.profile else self.url


def parse_header(text: str) -> tuple[str, str]:
    """``"Name: value"`` → (name, value); raises ValueError with a clear message."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise ValueError(f"header {text!r} must look like 'Name: value'")
    return name.strip(), value.strip()


def resolve_connection(
    settings: Settings,
    *,
    url: str | None = None,
    profile: str | None = None,
    api_key_env: str | None = None,
    headers: list[str] | None = None,
) -> ConnectionSpec:
    """Command-line flags over the named (or default) profile over the local default."""
    name = profile or (None if url else settings.default_profile)
    chosen: Profile | None = None
    if name is not None:
        if name not in settings.profiles:
            known = ", ".join(sorted(settings.profiles)) or "none"
            raise ConfigError(f"no profile named {name!r} (profiles: {known})")
        chosen = settings.profiles[name]
    base = chosen or Profile()
    merged_headers = dict(base.headers)
    for text in headers or []:
        key, value = parse_header(text)
        merged_headers[key] = value
    final_url = (url or base.url).rstrip("/")
    if not final_url.startswith(("http://", "https://")):
        raise ConfigError(f"URL {final_url!r} must start with http:// or https://")
    return ConnectionSpec(
        url=final_url,
        profile=name,
        api_key_env=api_key_env or base.api_key_env,
        headers=merged_headers,
        timeout_seconds=base.timeout_seconds,
        verify_tls=base.verify_tls,
    )


def profile_names(settings: Settings) -> list[str]:
    return sorted(settings.profiles)


def settings_dict(settings: Settings) -> dict[str, Any]:
    return settings.model_dump(mode="json")
