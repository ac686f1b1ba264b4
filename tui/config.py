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

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tui import paths
from tui.fileio import atomic_write_text
from tui.spec import (
    DEFAULT_URL,
    ConfigError,
    ConnectionSpec,
    check_url,
    parse_header,
    spec_from_flags,
)

__all__ = [
    "DEFAULT_URL",
    "ConfigError",
    "ConnectionSpec",
    "Profile",
    "Settings",
    "load_settings",
    "parse_header",
    "profile_names",
    "resolve_connection",
    "save_settings",
    "settings_dict",
    "spec_from_flags",
]


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
        return check_url(value)


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
    if chosen is None:
        return spec_from_flags(url, api_key_env=api_key_env, headers=headers)
    return spec_from_flags(
        url or chosen.url,
        profile=name,
        api_key_env=api_key_env or chosen.api_key_env,
        headers=headers,
        base_headers=chosen.headers,
        timeout_seconds=chosen.timeout_seconds,
        verify_tls=chosen.verify_tls,
    )


def profile_names(settings: Settings) -> list[str]:
    return sorted(settings.profiles)


def settings_dict(settings: Settings) -> dict[str, Any]:
    return settings.model_dump(mode="json")
