"""Workspace settings (`kata config`), kept in ``<workspace>/.kata/config.toml``.

An environment variable, where a setting has one, overrides the file: a CI job or one shell
can change the behaviour without touching the workspace. Standard library only.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

FILE = "config.toml"


class ConfigError(ValueError):
    """An unknown setting or a value it does not take."""


@dataclass(frozen=True)
class Setting:
    default: str
    choices: tuple[str, ...]
    env: str | None
    help: str


SETTINGS = {
    "teaching": Setting(
        "on", ("on", "off"), "KATA_TEACHING",
        "practice only: on shows how to fix a failing check once you took a hint (or with --explain); "
        "off keeps practice as spoiler-free as a mock"),
}

_TRUE = {"on": "on", "true": "on", "1": "on", "yes": "on", "off": "off", "false": "off", "0": "off", "no": "off"}


def path(state_dir: Path) -> Path:
    return Path(state_dir) / FILE


def _normal(key: str, value: str) -> str:
    setting = _setting(key)
    text = str(value).strip().lower()
    if setting.choices == ("on", "off"):
        text = _TRUE.get(text, text)
    if text not in setting.choices:
        raise ConfigError(f"`{value}` is not a value of {key}: use {' or '.join(setting.choices)}.")
    return text


def _setting(key: str) -> Setting:
    if key not in SETTINGS:
        raise ConfigError(f"There is no setting `{key}`; the settings are: {', '.join(SETTINGS)}.")
    return SETTINGS[key]


def _read(state_dir: Path) -> dict:
    try:
        with open(path(state_dir), "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise ConfigError(f"{path(state_dir)} cannot be read ({exc}); fix or delete it.") from None


def get(state_dir: Path, key: str) -> tuple[str, str]:
    """(value, where it comes from: the environment variable, the file or the default)."""
    setting = _setting(key)
    if setting.env and os.environ.get(setting.env, "").strip():
        try:
            return _normal(key, os.environ[setting.env]), f"${setting.env}"
        except ConfigError as exc:
            raise ConfigError(f"${setting.env}: {exc}") from None
    stored = _read(state_dir).get(key)
    if stored is not None:
        return _normal(key, stored), "config file"
    return setting.default, "default"


def set_value(state_dir: Path, key: str, value: str) -> str:
    """Store ``key = value`` (validated); returns the stored value. Written atomically."""
    value = _normal(key, value)
    data = {**_read(state_dir), key: value}
    target = path(state_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = "# kata settings: `kata config` shows and changes them.\n" + "".join(
        f'{name} = "{data[name]}"\n' for name in sorted(data) if name in SETTINGS)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return value


def teaching(state_dir: Path) -> bool:
    """Whether practice teaches (shows fixes after a hint); a mock never does, whatever this says."""
    try:
        return get(state_dir, "teaching")[0] == "on"
    except ConfigError:
        return True
