"""Settings: layering, one environment variable per setting, and one clear line for every bad value."""

from __future__ import annotations

import dataclasses
import os
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest

from duty_roster import create_app
from duty_roster.config import (
    DEFAULT_FILE,
    ConfigError,
    Settings,
    finalize,
    load_settings,
    unknown_environment,
)
from tests import clock

ROOT = Path(__file__).resolve().parent.parent
KEY = "k" * 40

# A valid, non-default value for every setting, as it would be written in the environment.
ENV_SAMPLES = {
    "DATABASE_URL": "postgresql+psycopg://roster@db.internal:5432/roster",
    "SECRET_KEY": KEY,
    "PUBLIC_BASE_URL": "https://lichtruc.example.vn/",
    "TIMEZONE": "Asia/Bangkok",
    "LOG_LEVEL": "debug",
    "SOLVER_TIME_LIMIT": "2.5",
    "SOLVER_WORKERS": "4",
    "MAX_PERIOD_DAYS": "31",
    "PUBLISH_NOTICE_WORKING_DAYS": "3",
    "JOB_RUNNER": "worker",
    "FEED_WINDOW_PAST_DAYS": "90",
    "FEED_CANCELLED_DAYS": "14",
    "FEED_REFRESH_MINUTES": "30",
    "HOST": "0.0.0.0",
    "PORT": "8080",
    "INSTANCE_PATH": "/srv/duty-roster",
    "SESSION_LIFETIME_MINUTES": "60",
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "token-value",
    "TWILIO_FROM": "+84912345678",
    "TWILIO_API_BASE": "http://127.0.0.1:9999/",
    "SMS_RATE_PER_SECOND": "0",
    "SMS_MAX_ATTEMPTS": "3",
    "SMS_RETRY_BASE_SECONDS": "5",
    "SMS_ASCII": "yes",
    "SMS_REMINDERS": " 19:30-2d,90m ",
    "SMS_QUIET_HOURS": "21:00-07:00",
    "SMS_UNCONFIRMED_ALERT_HOURS": "6",
    "SCHEDULER_TICK_SECONDS": "5",
    "SCHEDULER_LOCK_RETRY_SECONDS": "2",
}
PARSED = {
    "PUBLIC_BASE_URL": "https://lichtruc.example.vn",
    "LOG_LEVEL": "DEBUG",
    "SOLVER_TIME_LIMIT": 2.5,
    "SOLVER_WORKERS": 4,
    "MAX_PERIOD_DAYS": 31,
    "PUBLISH_NOTICE_WORKING_DAYS": 3,
    "FEED_WINDOW_PAST_DAYS": 90,
    "FEED_CANCELLED_DAYS": 14,
    "FEED_REFRESH_MINUTES": 30,
    "PORT": 8080,
    "SESSION_LIFETIME_MINUTES": 60,
    "TWILIO_API_BASE": "http://127.0.0.1:9999",
    "SMS_RATE_PER_SECOND": 0.0,
    "SMS_MAX_ATTEMPTS": 3,
    "SMS_RETRY_BASE_SECONDS": 5.0,
    "SMS_ASCII": True,
    "SMS_REMINDERS": "19:30-2d, 90m",
    "SMS_UNCONFIRMED_ALERT_HOURS": 6,
    "SCHEDULER_TICK_SECONDS": 5,
    "SCHEDULER_LOCK_RETRY_SECONDS": 2,
}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_defaults() -> None:
    settings = load_settings(environ={}, default_file=None)
    assert settings.TIMEZONE == "Asia/Ho_Chi_Minh"
    assert settings.PUBLIC_BASE_URL == "http://127.0.0.1:5000"
    assert (settings.SOLVER_TIME_LIMIT, settings.SOLVER_WORKERS) == (30.0, 8)
    assert (settings.MAX_PERIOD_DAYS, settings.PUBLISH_NOTICE_WORKING_DAYS) == (92, 5)
    assert (settings.HOST, settings.PORT) == ("127.0.0.1", 5000)
    assert settings.DATABASE_URL is None and settings.SECRET_KEY is None


def test_default_toml_agrees_with_the_builtin_defaults_and_holds_no_secret() -> None:
    data = tomllib.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    builtin = Settings()
    assert "secret_key" not in data and "database_url" not in data
    for key, value in data.items():
        assert getattr(builtin, key.upper()) == value, key
    text = DEFAULT_FILE.read_text(encoding="utf-8").lower()
    for name in Settings.names():  # every setting is documented there, set or commented out
        assert name.lower() in text, name


def test_production_example_is_valid() -> None:
    load_settings(environ={"DUTY_ROSTER_CONFIG": str(ROOT / "config" / "production.example.toml")})


def test_every_setting_has_an_environment_variable() -> None:
    assert set(ENV_SAMPLES) == set(Settings.names()), "add a sample for the new setting"
    environ = {f"DUTY_ROSTER_{name}": value for name, value in ENV_SAMPLES.items()}
    settings = load_settings(environ=environ)
    for name, raw in ENV_SAMPLES.items():
        assert getattr(settings, name) == PARSED.get(name, raw), name


def test_layers_apply_in_order(tmp_path: Path) -> None:
    defaults = write(tmp_path / "default.toml", 'timezone = "Asia/Bangkok"\nport = 1111\nhost = "10.0.0.1"\n')
    deployment = write(tmp_path / "site.toml", "port = 2222\nSOLVER_WORKERS = 2\n")
    environ = {"DUTY_ROSTER_CONFIG": str(deployment), "DUTY_ROSTER_SOLVER_WORKERS": "3"}

    settings = load_settings(environ=environ, default_file=defaults)
    assert settings.TIMEZONE == "Asia/Bangkok"  # default file only
    assert settings.HOST == "10.0.0.1"
    assert settings.PORT == 2222  # deployment file beats default file
    assert settings.SOLVER_WORKERS == 3  # environment beats deployment file

    overridden = load_settings(environ=environ, default_file=defaults, overrides={"SOLVER_WORKERS": 1})
    assert overridden.SOLVER_WORKERS == 1  # create_app(overrides) beats everything


def test_postgres_urls_get_the_psycopg_driver() -> None:
    for url in ("postgres://u@h/db", "postgresql://u@h/db"):
        settings = load_settings(environ={"DUTY_ROSTER_DATABASE_URL": url})
        assert settings.DATABASE_URL == "postgresql+psycopg://u@h/db"


BAD_ENV = [
    ("TIMEZONE", "Asia/Hanoi", "unknown time zone 'Asia/Hanoi'"),
    ("TIMEZONE", "", "empty value"),
    ("SOLVER_TIME_LIMIT", "thirty", "not a number of seconds"),
    ("SOLVER_TIME_LIMIT", "0", "out of range"),
    ("SOLVER_WORKERS", "eight", "not a whole number"),
    ("SOLVER_WORKERS", "0", "out of range 1..64"),
    ("MAX_PERIOD_DAYS", "400", "out of range"),
    ("PUBLISH_NOTICE_WORKING_DAYS", "-1", "out of range"),
    ("PORT", "70000", "out of range 1..65535"),
    ("PORT", "", "empty value"),
    ("HOST", " ", "empty value"),
    ("DATABASE_URL", "mysql://root@localhost/roster", "unsupported database URL scheme 'mysql'"),
    ("DATABASE_URL", "postgresql+psycopg2://u@h/db", "unsupported database URL scheme"),
    ("DATABASE_URL", "roster.sqlite3", "not a database URL"),
    ("DATABASE_URL", "postgresql+psycopg://u@h", "names no database"),
    ("SECRET_KEY", "", "too short"),
    ("SECRET_KEY", "hunter2", "too short"),
    ("PUBLIC_BASE_URL", "lichtruc.example.vn", "expected an http(s) URL"),
    ("LOG_LEVEL", "LOUD", "unknown log level"),
]


@pytest.mark.parametrize(("name", "value", "why"), BAD_ENV, ids=[f"{n}={v!r}" for n, v, _ in BAD_ENV])
def test_a_bad_environment_value_names_the_variable(name: str, value: str, why: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(environ={f"DUTY_ROSTER_{name}": value})
    message = info.value.format_message()
    assert message.startswith(f"DUTY_ROSTER_{name}: ")
    assert why in message
    assert "\n" not in message


def test_a_database_password_never_appears_in_an_error() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"DUTY_ROSTER_DATABASE_URL": "mysql://root:s3cr3t@localhost/roster"})
    assert "s3cr3t" not in info.value.format_message()


def test_a_bad_value_in_a_file_names_the_key_and_the_file(tmp_path: Path) -> None:
    site = write(tmp_path / "site.toml", "solver_workers = true\n")
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"DUTY_ROSTER_CONFIG": str(site)})
    assert info.value.format_message().startswith(f"solver_workers in {site}: expected a whole number")


def test_a_text_setting_given_a_number_in_a_file(tmp_path: Path) -> None:
    site = write(tmp_path / "site.toml", "timezone = 7\n")
    with pytest.raises(ConfigError, match=r"timezone in .*: expected text"):
        load_settings(environ={"DUTY_ROSTER_CONFIG": str(site)})


def test_an_unknown_key_in_a_file_is_an_error(tmp_path: Path) -> None:
    site = write(tmp_path / "site.toml", 'timezon = "Asia/Ho_Chi_Minh"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"DUTY_ROSTER_CONFIG": str(site)})
    message = info.value.format_message()
    assert message.startswith("DUTY_ROSTER_CONFIG: unknown setting 'timezon'")
    assert "TIMEZONE" in message  # the list of known names helps spot the typo


def test_a_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^DUTY_ROSTER_CONFIG: cannot read config file .*No such file"):
        load_settings(environ={"DUTY_ROSTER_CONFIG": str(tmp_path / "nope.toml")})


def test_an_unreadable_config_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DUTY_ROSTER_CONFIG: cannot read config file"):
        load_settings(environ={"DUTY_ROSTER_CONFIG": str(tmp_path)})


def test_invalid_toml_is_an_error_on_one_line(tmp_path: Path) -> None:
    site = write(tmp_path / "site.toml", "port = \n")
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"DUTY_ROSTER_CONFIG": str(site)})
    message = info.value.format_message()
    assert message.startswith("DUTY_ROSTER_CONFIG: config file") and "not valid TOML" in message
    assert "\n" not in message


def test_an_empty_config_variable_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"^DUTY_ROSTER_CONFIG: empty value"):
        load_settings(environ={"DUTY_ROSTER_CONFIG": ""})


def test_typos_in_environment_names_are_found() -> None:
    environ = {"DUTY_ROSTER_TIMEZON": "x", "DUTY_ROSTER_PORT": "1", "DUTY_ROSTER_CONFIG": "x", "HOME": "/"}
    assert unknown_environment(environ) == ["DUTY_ROSTER_TIMEZON"]


def test_unset_secret_key_is_generated_once_with_private_permissions(tmp_path: Path) -> None:
    settings = load_settings(environ={}, default_file=None)
    first, notes = finalize(settings, tmp_path / "instance")
    key_file = tmp_path / "instance" / "secret_key"
    assert first.SECRET_KEY is not None and len(first.SECRET_KEY) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert any("production must set DUTY_ROSTER_SECRET_KEY" in line for _, line in notes)

    second, _ = finalize(settings, tmp_path / "instance")
    assert second.SECRET_KEY == first.SECRET_KEY
    assert list(key_file.parent.iterdir()) == [key_file]  # no temporary files left behind


def test_a_damaged_generated_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(ConfigError, match=r"^SECRET_KEY \(generated file .*\): empty or too short"):
        finalize(load_settings(environ={}, default_file=None), tmp_path)


def test_an_explicit_key_is_used_and_no_file_is_written(tmp_path: Path) -> None:
    settings, notes = finalize(load_settings(environ={"DUTY_ROSTER_SECRET_KEY": KEY}), tmp_path)
    assert settings.SECRET_KEY == KEY
    assert notes == []
    assert not (tmp_path / "secret_key").exists()


def test_create_app_defaults_to_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst"), "SECRET_KEY": KEY, "TESTING": True})
    assert app.instance_path == str(tmp_path / "inst")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'inst' / 'duty_roster.sqlite3'}"
    assert app.config["SECRET_KEY"] == KEY
    assert app.config["TESTING"] is True  # a non-setting override reaches Flask's config unchanged
    settings = app.config["SETTINGS"]
    assert dataclasses.asdict(settings)["TIMEZONE"] == app.config["TIMEZONE"] == "Asia/Ho_Chi_Minh"


def test_create_app_validates_overrides(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^PORT \(create_app overrides\): not a whole number"):
        create_app({"INSTANCE_PATH": str(tmp_path), "PORT": "http"})


# --- the command line: one line on stderr, exit status 2, no traceback ---


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DUTY_ROSTER_")}
    environ.update({"DUTY_ROSTER_INSTANCE_PATH": str(tmp_path / "instance"), "NO_COLOR": "1",
                    "PYTHONPATH": str(ROOT)}, **env)
    return subprocess.run(
        clock.python_command("duty_roster.cli", *args),
        env=environ,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_reports_a_bad_setting_in_one_line_and_exits_2(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "init", DUTY_ROSTER_TIMEZONE="Asia/Hanoi")
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: DUTY_ROSTER_TIMEZONE: unknown time zone 'Asia/Hanoi'")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_reports_a_broken_config_file_in_one_line(tmp_path: Path) -> None:
    site = write(tmp_path / "site.toml", "[oops\n")
    result = run_cli(tmp_path, "init", DUTY_ROSTER_CONFIG=str(site))
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: DUTY_ROSTER_CONFIG: config file")
    assert result.stderr.count("\n") == 1


def test_cli_help_still_works_with_a_bad_setting(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--help", DUTY_ROSTER_PORT="eighty")
    assert result.returncode == 0
    assert "Configuration error: DUTY_ROSTER_PORT: not a whole number: 'eighty'" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Usage:" in result.stdout
