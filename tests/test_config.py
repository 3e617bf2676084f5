"""Settings: environment over TOML, errors that name the setting and never its value."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.__main__ import main
from bot.config import OfficeSettings, Settings, SlaSettings, TeamSettings, load_settings
from bot.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith(("HELPDESK_", "TELEGRAM_", "SLACK_")):
            monkeypatch.delenv(name)


def test_defaults() -> None:
    settings = load_settings()
    assert settings.database_url.startswith("sqlite://data/")
    assert settings.kb_dir == Path("kb")
    assert (settings.http_host, settings.http_port) == ("127.0.0.1", 8080)


def test_environment_overrides_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "helpdesk.toml"
    config.write_text('http_port = 9000\nkb_dir = "other"\n', encoding="utf-8")
    monkeypatch.setenv("HELPDESK_CONFIG", str(config))
    monkeypatch.setenv("HELPDESK_HTTP_PORT", "9100")
    settings = load_settings()
    assert settings.http_port == 9100
    assert settings.kb_dir == Path("other")


@pytest.mark.parametrize("name", ["HELPDESK_HTTP_PORT", "HELPDESK_LOG_LEVEL"])
def test_wrong_value_names_the_setting_not_the_value(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "s3cr3t-value")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert name in str(caught.value)
    assert "s3cr3t-value" not in str(caught.value)


@pytest.mark.parametrize("name", ["HELPDESK_HTTP_PORT", "TELEGRAM_BOT_TOKEN"])
def test_a_value_from_an_env_file_with_windows_line_ends_says_so(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """An env file saved with Windows line ends gives every value a trailing carriage return:
    the port was "not a valid integer", a token failed at the platform, with no word why."""
    monkeypatch.setenv(name, "9100\r" if name.endswith("PORT") else "123:s3cr3t\r")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert f"{name}: ends with a carriage return" in str(caught.value)
    assert "Windows line ends" in str(caught.value) and "s3cr3t" not in str(caught.value)


def test_unknown_toml_key_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "helpdesk.toml"
    config.write_text('databse_url = "postgres://u:pw@h/db"\n', encoding="utf-8")
    monkeypatch.setenv("HELPDESK_CONFIG", str(config))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "databse_url" in str(caught.value)
    assert "pw@h" not in str(caught.value)


def test_thresholds_must_be_ordered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_ANSWER_THRESHOLD", "0.4")
    monkeypatch.setenv("HELPDESK_SUGGEST_THRESHOLD", "0.6")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    # Named as the operator set them, like every other settings error.
    assert "HELPDESK_SUGGEST_THRESHOLD" in str(caught.value)
    assert "HELPDESK_ANSWER_THRESHOLD" in str(caught.value)


def test_missing_or_broken_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HELPDESK_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="HELPDESK_CONFIG"):
        load_settings()
    broken = tmp_path / "broken.toml"
    broken.write_text("http_port = = 1\n", encoding="utf-8")
    monkeypatch.setenv("HELPDESK_CONFIG", str(broken))
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings()


def test_cli_stops_with_exit_code_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HELPDESK_DEFAULT_LANGUAGE", "de")
    assert main(["kb", "check"]) == 2
    assert "HELPDESK_DEFAULT_LANGUAGE" in capsys.readouterr().err


def test_bot_refuses_an_invalid_kb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    monkeypatch.setenv("HELPDESK_KB_DIR", str(tmp_path))
    monkeypatch.setenv("HELPDESK_DATABASE_URL", f"sqlite://{tmp_path}/db.sqlite3")
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'a.md'}:" in err
    assert "malformed YAML" in err
    assert not (tmp_path / "db.sqlite3").exists()  # refused before touching the database


def test_channel_settings_use_the_platform_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:very-secret")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-very-secret")
    settings = load_settings()
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123:very-secret"
    assert "very-secret" not in repr(settings)
    assert settings.telegram_mode == "polling"


def test_webhook_mode_needs_its_url_and_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:very-secret")
    monkeypatch.setenv("TELEGRAM_MODE", "webhook")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "TELEGRAM_WEBHOOK_SECRET" in str(caught.value)
    assert "very-secret" not in str(caught.value)


def test_slack_over_http_needs_the_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        load_settings()


@pytest.mark.parametrize(
    ("variables", "says"),
    [
        (
            {"TELEGRAM_BOT_TOKEN": "123:very-secret\r"},  # a Windows line end, copied along
            "TELEGRAM_BOT_TOKEN: ends with a carriage return (the env file has Windows line"
            " ends: save it with Unix ones, e.g. dos2unix)",
        ),
        (
            {"TELEGRAM_BOT_TOKEN": "bot123:very-secret"},
            "TELEGRAM_BOT_TOKEN (or 'telegram_bot_token' in the config file): must be like"
            " 123456:ABC-def, the token @BotFather gives",
        ),
        (
            {"SLACK_BOT_TOKEN": "xapp-very-secret", "SLACK_APP_TOKEN": "xoxb-very-secret"},
            "SLACK_BOT_TOKEN (or 'slack_bot_token' in the config file): must be the bot token"
            " (xoxb-…); the xapp-… one is SLACK_APP_TOKEN\n"
            "SLACK_APP_TOKEN (or 'slack_app_token' in the config file): must be the app-level"
            " token (xapp-…, Basic Information in Slack)",
        ),
        (
            {
                "TELEGRAM_BOT_TOKEN": "123:very-secret",
                "TELEGRAM_MODE": "webhook",
                "TELEGRAM_WEBHOOK_URL": "https://helpdesk.example.com/telegram",
                "TELEGRAM_WEBHOOK_SECRET": "very.secret",
            },
            "TELEGRAM_WEBHOOK_SECRET (or 'telegram_webhook_secret' in the config file): must be"
            " 1 to 256 letters, digits, '_' or '-'",
        ),
    ],
)
def test_a_token_of_the_wrong_shape_is_named_at_start(
    variables: dict[str, str],
    says: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """They were refused only once the channel started, as "cannot reach the Bot API" or an
    error of the platform's own, with no word of which setting was wrong."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert main(["db", "migrate"]) == 2
    err = capsys.readouterr().err
    assert err == f"configuration error: invalid settings:\n{says}\n"
    assert "very" not in err


def test_a_misspelt_variable_is_named_not_ignored(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """HELPDESK_DATABSE_URL left the bot on its default SQLite file without a word."""
    monkeypatch.setenv("HELPDESK_DATABSE_URL", "postgres://helpdesk:pw-s3cret@db/helpdesk")
    monkeypatch.setenv("HELPDESK_TELEGRAM_BOT_TOKEN", "123:very-secret")
    assert main(["db", "migrate"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "configuration error: invalid settings:\n"
        "HELPDESK_DATABSE_URL: not a setting of the bot (did you mean HELPDESK_DATABASE_URL?)\n"
        "HELPDESK_TELEGRAM_BOT_TOKEN: not a setting of the bot (did you mean TELEGRAM_BOT_TOKEN?)\n"
    )


@pytest.mark.parametrize(
    "url", ["mysql://helpdesk:pw-s3cret@db/helpdesk", "sqllite://data/x.sqlite3", "data/x.sqlite3"]
)
def test_a_database_url_the_bot_cannot_use_is_named(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """These ended in tortoise's traceback ("Unknown DB scheme", "No module named aiomysql")."""
    monkeypatch.setenv("HELPDESK_DATABASE_URL", url)
    assert main(["db", "migrate"]) == 2
    err = capsys.readouterr().err
    assert "HELPDESK_DATABASE_URL (or 'database_url' in the config file): " in err
    assert 'must be "sqlite://PATH" or "postgres://user:password@host/database"' in err
    assert "s3cret" not in err and "Traceback" not in err


def test_a_sqlite_file_in_the_home_folder_is_found_by_tilde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sqlite://~/x.sqlite3` was refused: the folder "~" does not exist (no shell expands a
    value in a TOML file or a service's environment)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("HELPDESK_DATABASE_URL", "sqlite://~/helpdesk.sqlite3?journal_mode=wal")
    assert load_settings().database_url == f"sqlite://{tmp_path}/helpdesk.sqlite3?journal_mode=wal"
    assert main(["db", "migrate"]) == 0
    assert (tmp_path / "helpdesk.sqlite3").stat().st_size > 0


def test_a_config_file_that_cannot_be_read_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HELPDESK_CONFIG", str(tmp_path))
    assert main(["db", "migrate"]) == 2
    assert capsys.readouterr().err == (
        f"configuration error: HELPDESK_CONFIG: cannot read {tmp_path}: Is a directory\n"
    )
    legacy = tmp_path / "helpdesk.toml"
    legacy.write_bytes('[[offices]]\nname = "Москва"\n'.encode("cp1251"))
    monkeypatch.setenv("HELPDESK_CONFIG", str(legacy))
    assert main(["db", "migrate"]) == 2
    assert capsys.readouterr().err == (
        f"configuration error: HELPDESK_CONFIG: {legacy} is not UTF-8 text\n"
    )


@pytest.mark.parametrize(
    ("toml", "line"),
    [
        (
            "http_prot = 8080\n",
            "'http_prot' in the config file: not a setting of the bot (did you mean 'http_port'?)",
        ),
        (
            "HELPDESK_HTTP_PORT = 8081\n",
            "'HELPDESK_HTTP_PORT' in the config file: not a setting"
            " of the bot (did you mean 'http_port'?)",
        ),
        (
            '[teams]\nname = "it"\nagents = ["web:a"]\n',
            "HELPDESK_TEAMS (or 'teams' in the config file): write each as a [[teams]] table",
        ),
        (
            "telegram_bot_token = 123\n",
            "TELEGRAM_BOT_TOKEN (or 'telegram_bot_token' in the config"
            " file): Input should be a valid string",
        ),
        (
            '[[teams]]\nname = "it"\nagents = ["web:a"]\n'
            '[[offices]]\nname = "B"\ntimezone = "UTC"\nteam = "IT"\n',
            "offices[0].team must be the name of one of the [[teams]] ('it')",
        ),
        (
            '[[teams]]\nname = "it"\nagents = ["web:a"]\nholidays = [2026-01-01, "x"]\n',
            "teams[0].holidays[1] (in the config file): Input should be a valid date",
        ),
        (
            '[[teams]]\nname = "it"\nagents = ["web:a"]\nhours = "weekdays"\n',
            "teams[0].hours (in"
            ' the config file): "weekdays" is not like "mon-fri 09:00-18:00" or "24/7"',
        ),
    ],
)
def test_config_file_mistakes_read_as_the_admin_wrote_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, line: str
) -> None:
    """Not pydantic's words ("Extra inputs are not permitted", "Value error, ", "settings: "),
    a platform token under its own name, a list's item as TOML counts it."""
    config = tmp_path / "helpdesk.toml"
    config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("HELPDESK_CONFIG", str(config))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).splitlines()[1].startswith(line), str(caught.value)


@pytest.mark.parametrize("written", ["debug", "Debug", " DEBUG "])
def test_log_level_in_any_case(monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    monkeypatch.setenv("HELPDESK_LOG_LEVEL", written)
    assert load_settings().log_level == "DEBUG"


def _numbers(model: type[BaseModel]) -> list[str]:
    """The model's settings that hold a number (int or float, maybe None)."""
    numeric = {int, float, int | None, float | None}
    return [name for name, field in model.model_fields.items() if field.annotation in numeric]


_TEAM = '[[teams]]\nname = "it"\nagents = ["web:a"]\n'
_TRUE_NUMBERS = [
    *(
        (f"{name} = true\n", f"HELPDESK_{name.upper()} (or '{name}' in the config file)")
        for name in _numbers(Settings)
    ),
    *(
        (f"{_TEAM}{name} = false\n", f"teams[0].{name} (in the config file)")
        for name in _numbers(TeamSettings)
    ),
    *(
        (f'[[sla]]\nname = "s"\n{name} = true\n', f"sla[0].{name} (in the config file)")
        for name in _numbers(SlaSettings)
    ),
]


def test_every_number_is_covered() -> None:
    """A new number among the settings joins the test below without a word."""
    assert {"http_port", "retention_days", "answer_threshold"} <= set(_numbers(Settings))
    assert _numbers(TeamSettings) == ["claim_timeout_minutes"]
    assert _numbers(SlaSettings) == ["warn_at"]
    assert _numbers(OfficeSettings) == []


@pytest.mark.parametrize(("toml", "line"), _TRUE_NUMBERS)
def test_true_or_false_is_no_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, line: str
) -> None:
    """pydantic would read `http_port = true` as port 1."""
    config = tmp_path / "helpdesk.toml"
    config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("HELPDESK_CONFIG", str(config))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.args[0].splitlines()[1:] == [f"{line}: must be a number, not true or false"]


@pytest.mark.parametrize("name", ["HELPDESK_TEAMS", "HELPDESK_OFFICES", "HELPDESK_SLA"])
def test_a_table_in_the_environment_that_is_not_json_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """`HELPDESK_TEAMS=it` stopped the bot with a traceback from pydantic-settings' JSON
    parser; the tables belong in the TOML file."""
    monkeypatch.setenv(name, "it s3cr3t")
    assert main(["db", "migrate"]) == 2
    table = name.removeprefix("HELPDESK_").lower()
    assert capsys.readouterr().err == (
        f"configuration error: invalid settings:\n{name}: not JSON; declare [[{table}]] "
        "tables in the TOML file named by HELPDESK_CONFIG\n"
    )


@pytest.mark.parametrize(
    "name",
    [
        "HELPDESK_HTTP_HOST",
        "HELPDESK_KB_DIR",
        "HELPDESK_INTENTS_FILE",
        "HELPDESK_AGENT_PASSWORD",
        "TELEGRAM_WEBHOOK_URL",
        "TELEGRAM_API_BASE_URL",
        "SLACK_API_URL",
    ],
)
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_setting_is_refused_not_read_as_something_else(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    """`HELPDESK_HTTP_HOST=` in an env file listened on every address, `HELPDESK_KB_DIR=`
    took the working folder for the KB, and an empty `HELPDESK_AGENT_PASSWORD` was no
    password: each is named instead, as an empty token is."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).endswith(
        f"{name} (or '{name.removeprefix('HELPDESK_').lower()}' in the config file): "
        "is empty: give a value, or leave the setting out"
    )


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_config_file_setting_is_refused_not_ignored(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """`HELPDESK_CONFIG=` ran the bot without its teams, offices and SLA policies, silently."""
    monkeypatch.setenv("HELPDESK_CONFIG", value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == "HELPDESK_CONFIG: is empty: give a value, or leave the setting out"
