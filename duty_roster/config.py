"""Layered settings: config/default.toml, then the file named by DUTY_ROSTER_CONFIG, then DUTY_ROSTER_<NAME>
environment variables, then (in tests) `create_app(overrides)`. Later layers win.

Every setting is a field of `Settings` and has exactly one environment variable, `DUTY_ROSTER_` + its name. Config
files use the same names (any case). A bad value anywhere raises `ConfigError` with one line that names the setting
and its source, because an operator reading a failed start-up should know what to fix without a traceback.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import secrets
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ENV_PREFIX = "DUTY_ROSTER_"
CONFIG_ENV = ENV_PREFIX + "CONFIG"
DEFAULT_FILE = Path(__file__).resolve().parent.parent / "config" / "default.toml"
SECRET_KEY_FILE = "secret_key"
MIN_SECRET_KEY_LENGTH = 32
SQLITE_FILE = "duty_roster.sqlite3"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# DUTY_ROSTER_* variables that are not settings, so they are not reported as unknown.
NON_SETTING_ENV = frozenset({CONFIG_ENV, ENV_PREFIX + "TEST_DATABASE_URL"})


class ConfigError(click.ClickException):
    """A setting that stops start-up. The message is one line naming the setting; the CLI exits with status 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever the cause said

    def show(self, file: Any = None) -> None:
        click.echo(f"Configuration error: {self.format_message()}", err=True, file=file)


# --- value parsers: raw value (TOML value or environment string) -> typed value, or ValueError saying why ---


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"expected text, got {raw!r}")
    if not raw.strip():
        raise ValueError("empty value; remove the setting to use the default")
    return raw.strip()


def _int(low: int, high: int) -> Callable[[Any], int]:
    def parse(raw: Any) -> int:
        if isinstance(raw, bool):
            raise ValueError(f"expected a whole number, got {raw!r}")
        if isinstance(raw, int):
            value = raw
        else:
            text = _text(raw)
            try:
                value = int(text)
            except ValueError:
                raise ValueError(f"not a whole number: {raw!r}") from None
        if not low <= value <= high:
            raise ValueError(f"{value} is out of range {low}..{high}")
        return value

    return parse


def _seconds(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError(f"expected a number of seconds, got {raw!r}")
    text = raw if isinstance(raw, int | float) else _text(raw)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"not a number of seconds: {raw!r}") from None
    if not 0 < value <= 86_400:
        raise ValueError(f"{value:g} is out of range (0, 86400] seconds")
    return value


def _database_url(raw: Any) -> str:
    text = _text(raw)
    try:
        url = make_url(text)
    except ArgumentError:
        raise ValueError("not a database URL; use sqlite:///path/to/file.sqlite3 or postgresql+psycopg://...") from None
    if url.drivername in ("postgresql", "postgres"):  # psycopg 3 is the driver we ship; say so explicitly
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise ValueError(
            f"unsupported database URL scheme {url.drivername!r}; use sqlite:///path/to/file.sqlite3 "
            "or postgresql+psycopg://user:password@host/dbname"
        )
    if url.drivername == "postgresql+psycopg" and not url.database:
        raise ValueError("the PostgreSQL URL names no database (postgresql+psycopg://user@host/DBNAME)")
    return url.render_as_string(hide_password=False)


def _secret_key(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError("expected text")
    if len(raw.strip()) < MIN_SECRET_KEY_LENGTH:
        raise ValueError(
            f"empty or too short (at least {MIN_SECRET_KEY_LENGTH} characters); generate one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return raw.strip()


def _base_url(raw: Any) -> str:
    text = _text(raw)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"expected an http(s) URL such as https://lichtruc.example.vn, got {text!r}")
    return text.rstrip("/")


def _timezone(raw: Any) -> str:
    text = _text(raw)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {text!r}; use an IANA name such as 'Asia/Ho_Chi_Minh'") from None
    return text


def _log_level(raw: Any) -> str:
    text = _text(raw).upper()
    if text not in LOG_LEVELS:
        raise ValueError(f"unknown log level {raw!r}; use one of {', '.join(LOG_LEVELS)}")
    return text


JOB_RUNNERS = ("embedded", "worker")


def _job_runner(raw: Any) -> str:
    text = _text(raw).lower()
    if text not in JOB_RUNNERS:
        raise ValueError(f"unknown job runner {raw!r}; use one of {', '.join(JOB_RUNNERS)}")
    return text


def _path(raw: Any) -> str:
    return str(Path(_text(raw)).expanduser().resolve())


def _number(low: float, high: float) -> Callable[[Any], float]:
    def parse(raw: Any) -> float:
        if isinstance(raw, bool):
            raise ValueError(f"expected a number, got {raw!r}")
        text = raw if isinstance(raw, int | float) else _text(raw)
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"not a number: {raw!r}") from None
        if not low <= value <= high:
            raise ValueError(f"{value:g} is out of range {low:g}..{high:g}")
        return value

    return parse


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


def _secret(raw: Any) -> str:
    return _text(raw)


def _sms_sender(raw: Any) -> str:
    """A sender phone number in E.164 (+84...), an alphanumeric brand name, or a messaging service SID (MG...)."""
    text = _text(raw)
    if text.startswith("MG") and len(text) == 34:
        return text
    if re.fullmatch(r"\+[1-9]\d{6,14}", text):
        return text
    if re.fullmatch(r"[A-Za-z0-9 ]{1,11}", text) and re.search(r"[A-Za-z]", text):
        return text
    raise ValueError(
        f"expected a sender number in E.164 (+84...), a brand name of at most 11 letters or digits, or a messaging "
        f"service SID (MG + 32 characters), got {text!r}"
    )


_CLOCK = r"([01]?\d|2[0-3]):([0-5]\d)"


def _reminders(raw: Any) -> str:
    """Comma-separated reminder rules: "18:00-1d" (18:00 the day before the shift starts) or "1h" / "90m" before."""
    text = raw.strip() if isinstance(raw, str) else raw
    if not isinstance(text, str):
        raise ValueError(f"expected text such as '18:00-1d, 1h', got {raw!r}")
    items = [item.strip() for item in text.split(",") if item.strip()]
    for item in items:
        if not (re.fullmatch(_CLOCK + r"-([1-7])d", item) or re.fullmatch(r"([1-9]\d{0,3})(h|m)", item)):
            raise ValueError(
                f"bad reminder {item!r}; use HH:MM-Nd (a clock time N days before the shift, e.g. 18:00-1d) or a "
                "duration before it (1h, 90m); separate several with commas; empty = no reminders"
            )
    return ", ".join(items)


def _quiet_hours(raw: Any) -> str:
    """"22:00-06:00": non-urgent messages wait until the end of this local-time window; empty = no quiet hours."""
    if not isinstance(raw, str):
        raise ValueError(f"expected text such as '22:00-06:00', got {raw!r}")
    text = raw.strip()
    if text and not re.fullmatch(_CLOCK + "-" + _CLOCK, text):
        raise ValueError(f"expected HH:MM-HH:MM such as 22:00-06:00 (empty = no quiet hours), got {text!r}")
    return text


def _setting(default: Any, parse: Callable[[Any], Any], doc: str) -> Any:
    return field(default=default, metadata={"parse": parse, "doc": doc})


@dataclass(frozen=True)
class Settings:
    """Every setting with its built-in default. config/default.toml documents the same values (a test checks)."""

    DATABASE_URL: str | None = _setting(
        None, _database_url, "SQLAlchemy URL; unset = SQLite file duty_roster.sqlite3 in the instance folder"
    )
    SECRET_KEY: str | None = _setting(
        None, _secret_key, "signs sessions; unset = a key generated once in the instance folder (not for production)"
    )
    PUBLIC_BASE_URL: str = _setting("http://127.0.0.1:5000", _base_url, "URL users reach the service at")
    TIMEZONE: str = _setting("Asia/Ho_Chi_Minh", _timezone, "IANA zone for display when a centre names none")
    LOG_LEVEL: str = _setting("INFO", _log_level, "DEBUG, INFO, WARNING, ERROR or CRITICAL")
    SOLVER_TIME_LIMIT: float = _setting(30.0, _seconds, "seconds CP-SAT may search per roster")
    SOLVER_WORKERS: int = _setting(8, _int(1, 64), "CP-SAT workers (8 runs its best strategies even on 2 cores)")
    MAX_PERIOD_DAYS: int = _setting(92, _int(1, 366), "longest roster period in days")
    PUBLISH_NOTICE_WORKING_DAYS: int = _setting(5, _int(0, 60), "working days of notice before a period starts")
    JOB_RUNNER: str = _setting(
        "embedded", _job_runner, "who runs roster generation jobs: embedded (a thread of this process) or worker "
        "(the `duty-roster worker` process; use it with several web processes)"
    )
    FEED_WINDOW_PAST_DAYS: int = _setting(60, _int(0, 3660), "calendar feeds: days of past shifts kept in a feed")
    FEED_CANCELLED_DAYS: int = _setting(
        30, _int(0, 366), "calendar feeds: days a shift dropped by a new version stays as STATUS:CANCELLED"
    )
    FEED_REFRESH_MINUTES: int = _setting(
        60, _int(5, 1440), "calendar feeds: REFRESH-INTERVAL / X-PUBLISHED-TTL suggested to calendar apps"
    )
    HOST: str = _setting("127.0.0.1", _text, "address the built-in server listens on")
    PORT: int = _setting(5000, _int(1, 65535), "port the built-in server listens on")
    INSTANCE_PATH: str | None = _setting(None, _path, "folder for the SQLite file and generated key; unset = Flask's")
    SESSION_LIFETIME_MINUTES: int = _setting(
        480, _int(5, 43_200), "web UI: a login lasts this long without activity before asking again"
    )
    TWILIO_ACCOUNT_SID: str | None = _setting(None, _secret, "Twilio account SID (AC...); unset = SMS to the log")
    TWILIO_AUTH_TOKEN: str | None = _setting(None, _secret, "Twilio auth token; also checks webhook signatures")
    TWILIO_FROM: str | None = _setting(None, _sms_sender, "sender number (E.164) or messaging service SID (MG...)")
    TWILIO_API_BASE: str = _setting(
        "https://api.twilio.com", _base_url, "Twilio REST base URL (another for Twilio-compatible providers)"
    )
    SMS_RATE_PER_SECOND: float = _setting(1.0, _number(0, 1000), "messages sent per second at most; 0 = no cap")
    SMS_MAX_ATTEMPTS: int = _setting(8, _int(1, 50), "send attempts before a message is marked failed")
    SMS_RETRY_BASE_SECONDS: float = _setting(30.0, _seconds, "first retry delay; doubles on every failed attempt")
    SMS_ASCII: bool = _setting(False, _bool, "default for centres: send SMS without diacritics (160 chars per part)")
    SMS_REMINDERS: str = _setting("18:00-1d, 1h", _reminders, "reminders before each shift (HH:MM-Nd or 1h/90m)")
    SMS_QUIET_HOURS: str = _setting("22:00-06:00", _quiet_hours, "local hours non-urgent SMS wait out; empty = none")
    SMS_UNCONFIRMED_ALERT_HOURS: int = _setting(
        12, _int(0, 336), "hours before a shift an unconfirmed assignment alerts the coordinator; 0 = never"
    )
    SCHEDULER_TICK_SECONDS: int = _setting(10, _int(1, 3600), "scheduler: how often the SMS dispatcher runs")
    SCHEDULER_LOCK_RETRY_SECONDS: int = _setting(
        15, _int(1, 60), "scheduler: how often a standby scheduler tries to take over the lock"
    )

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    def flask_config(self) -> dict[str, Any]:
        """The settings as Flask config keys (same names), plus the keys Flask and its extensions read."""
        config = dataclasses.asdict(self)
        config["SQLALCHEMY_DATABASE_URI"] = self.DATABASE_URL
        config["SETTINGS"] = self
        config["PERMANENT_SESSION_LIFETIME"] = self.SESSION_LIFETIME_MINUTES * 60
        return config


_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}


def _apply(values: dict[str, Any], name: str, raw: Any, source: str) -> None:
    try:
        values[name] = _FIELDS[name].metadata["parse"](raw)
    except ValueError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def _read_file(path: Path, named_by: str) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{named_by}: cannot read config file {str(path)!r}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{named_by}: config file {str(path)!r} is not valid TOML: {exc}") from None
    return data


def _apply_file(values: dict[str, Any], path: Path, named_by: str) -> None:
    for key, raw in _read_file(path, named_by).items():
        name = key.upper()
        if name not in _FIELDS:
            raise ConfigError(
                f"{named_by}: unknown setting {key!r} in {str(path)!r}; known settings: {', '.join(Settings.names())}"
            )
        _apply(values, name, raw, f"{key} in {path}")


def load_settings(
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    default_file: Path | None = DEFAULT_FILE,
) -> Settings:
    """Read every layer and validate it. Raises ConfigError naming the first bad setting.

    `overrides` keys that are not settings are ignored here (create_app passes them to Flask's config as they are).
    The instance-dependent defaults (SQLite file, generated secret key) are filled in by `finalize`.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    if default_file is not None and default_file.is_file():
        _apply_file(values, default_file, str(default_file))
    if environ.get(CONFIG_ENV):
        _apply_file(values, Path(environ[CONFIG_ENV]).expanduser(), CONFIG_ENV)
    elif CONFIG_ENV in environ:
        raise ConfigError(f"{CONFIG_ENV}: empty value; unset it or name a TOML file")
    for name in Settings.names():
        if ENV_PREFIX + name in environ:
            _apply(values, name, environ[ENV_PREFIX + name], ENV_PREFIX + name)
    for name, raw in (overrides or {}).items():
        if name in _FIELDS and raw is not None:
            _apply(values, name, raw, f"{name} (create_app overrides)")
    return Settings(**values)


def unknown_environment(environ: Mapping[str, str] | None = None) -> list[str]:
    """DUTY_ROSTER_* variables that name no setting: most likely typos, worth a warning at start-up."""
    environ = os.environ if environ is None else environ
    known = {ENV_PREFIX + name for name in Settings.names()} | NON_SETTING_ENV
    return sorted(k for k in environ if k.startswith(ENV_PREFIX) and k not in known)


def finalize(settings: Settings, instance_path: Path) -> tuple[Settings, list[tuple[int, str]]]:
    """Create the instance folder and fill the defaults that live in it. Returns the settings and (level, line)s
    to log once logging is set up."""
    notes: list[tuple[int, str]] = []
    try:
        instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)  # it holds the key and the SQLite data
    except OSError as exc:
        raise ConfigError(
            f"{ENV_PREFIX}INSTANCE_PATH: cannot create instance folder {str(instance_path)!r}: {exc.strerror or exc}"
        ) from None
    changes: dict[str, Any] = {"INSTANCE_PATH": str(instance_path)}
    if settings.DATABASE_URL is None:
        changes["DATABASE_URL"] = f"sqlite:///{instance_path / SQLITE_FILE}"
    if settings.SECRET_KEY is None:
        key_file = instance_path / SECRET_KEY_FILE
        changes["SECRET_KEY"], created = _instance_secret_key(key_file)
        notes.append(
            (
                logging.WARNING if created else logging.INFO,
                f"SECRET_KEY is not set: {'generated' if created else 'using'} the key in {key_file}; "
                f"production must set {ENV_PREFIX}SECRET_KEY",
            )
        )
    return dataclasses.replace(settings, **changes), notes


def _instance_secret_key(path: Path) -> tuple[str, bool]:
    """Read the generated key, or create it once (mode 0600). Linking a temp file makes concurrent starts agree."""
    source = f"SECRET_KEY (generated file {path})"
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48) + "\n")
            os.link(tmp, path)
            created = True
        except FileExistsError:
            created = False  # another process won the race; use its key
        except OSError as exc:
            raise ConfigError(f"{source}: cannot write it: {exc.strerror or exc}") from None
        finally:
            tmp.unlink(missing_ok=True)
    else:
        created = False
    try:
        key = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read it: {exc.strerror or exc}") from None
    try:
        return _secret_key(key), created
    except ValueError as exc:
        raise ConfigError(f"{source}: {exc}; delete the file to generate a new one") from None


def current_settings() -> Settings:
    """The running application's settings (inside an app context)."""
    from flask import current_app

    return current_app.config["SETTINGS"]
