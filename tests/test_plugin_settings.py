"""Settings of a contract run: command line over environment over config file, checked once."""

from __future__ import annotations

from pathlib import Path

import pytest
from campaign_contract._settings import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_REMOTE_MAX_EXAMPLES,
    LIVE_BUDGET,
    LIVE_MAX_EXAMPLES,
    LIVE_RATE,
    SPECS,
    Settings,
    SettingsError,
    resolve_settings,
)

TARGET = {"url": "https://platform.example", "app_id": "st-1", "account_id": "acc-1"}


def test_every_setting_has_a_prefixed_flag_an_env_variable_and_a_key() -> None:
    names = {spec.name for spec in SPECS}
    assert {"url", "app-id", "account-id", "token", "client-id", "client-secret"} <= names
    assert {"rate", "budget", "report-dir", "config", "max-examples"} <= names
    for spec in SPECS:
        assert spec.pytest_flag == f"--campaign-{spec.name}"
        assert spec.env == "CAMPAIGN_" + spec.name.replace("-", "_").upper()


def test_command_line_beats_environment_beats_config_file(tmp_path: Path) -> None:
    config = tmp_path / "campaign.yaml"
    config.write_text("url: https://from-file.example\napp-id: file-app\nbudget: 7\nrate: 3\n")
    env = {"CAMPAIGN_CONFIG": str(config), "CAMPAIGN_APP_ID": "env-app", "CAMPAIGN_BUDGET": "8"}
    cli = {"budget": "9", "account_id": "cli-account", "token": "t"}
    settings = resolve_settings(cli, env, cwd=tmp_path)
    assert settings.url == "https://from-file.example"
    assert settings.app_id == "env-app"
    assert settings.budget == 9
    assert settings.rate == 3.0
    assert settings.account_id == "cli-account"
    assert settings.config == config.resolve()


def test_config_file_accepts_underscores_and_a_campaign_section(tmp_path: Path) -> None:
    config = tmp_path / "c.yml"
    config.write_text("campaign:\n  max_examples: 4\n  faults: [has-more-always-true]\n")
    settings = resolve_settings({"config": str(config)}, {}, cwd=tmp_path)
    assert settings.max_examples == 4
    assert settings.faults == ("has-more-always-true",)


@pytest.mark.parametrize(
    ("cli", "message"),
    [
        ({"url": "ftp://x"}, "http(s) host root"),
        ({**TARGET}, "give a token"),
        ({**TARGET, "client_id": "c"}, "client-secret"),
        ({"url": "https://x.example", "token": "t"}, "app-id and account-id"),
        ({"budget": "lots"}, "budget must be a whole number"),
        ({"rate": "-1"}, "rate must be"),
        ({"max_examples": "0"}, "max-examples must be at least 1"),
        ({**TARGET, "token": "t", "fault": ["x"]}, "cannot be used with url"),
    ],
)
def test_bad_settings_give_one_line_errors(cli: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        resolve_settings(cli, {})
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unknown_fault_and_unknown_config_key_are_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="unknown fault 'nope'"):
        resolve_settings({"fault": ["nope"]}, {}, known_faults=lambda: ["real"])
    config = tmp_path / "c.yaml"
    config.write_text("colour: blue\n")
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        resolve_settings({"config": str(config)}, {}, cwd=tmp_path)
    config.write_text("url: [unclosed\n")
    with pytest.raises(SettingsError, match="not valid YAML"):
        resolve_settings({"config": str(config)}, {}, cwd=tmp_path)


def test_missing_config_file_is_a_setting_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read config file"):
        resolve_settings({"config": "absent.yaml"}, {}, cwd=tmp_path)


def test_credentials_never_show_in_repr_or_public_settings() -> None:
    settings = resolve_settings(
        {**TARGET, "token": "tok-SENTINEL", "client_id": "cid", "client_secret": "sec-SENTINEL"},
        {},
    )
    assert "SENTINEL" not in repr(settings)
    assert "SENTINEL" not in str(settings.public())
    assert set(settings.secrets()) == {"tok-SENTINEL", "sec-SENTINEL"}


@pytest.mark.parametrize(
    "url",
    [
        "https://me:pw-SENTINEL@platform.example",
        "https://:pw-SENTINEL@platform.example",
        "https://me@platform.example",
        "htps://me:pw-SENTINEL@platform.example",
        "https://me:pw-SENTINEL@[::1",
    ],
)
def test_a_url_holding_credentials_is_refused_without_echoing_them(url: str) -> None:
    with pytest.raises(SettingsError) as caught:
        resolve_settings({**TARGET, "url": url, "token": "t"}, {})
    assert "must not hold credentials" in str(caught.value)
    assert "SENTINEL" not in str(caught.value) and "me@" not in str(caught.value)


def test_rate_examples_and_shrinking_default_by_host() -> None:
    remote = resolve_settings({**TARGET, "token": "t"}, {})
    assert remote.is_live and remote.effective_rate == LIVE_RATE == 1.0
    assert remote.examples == DEFAULT_REMOTE_MAX_EXAMPLES == LIVE_MAX_EXAMPLES
    assert remote.effective_budget == LIVE_BUDGET
    assert not remote.shrink
    local = resolve_settings({**TARGET, "url": "http://127.0.0.1:9", "token": "t"}, {})
    assert local.effective_rate == 0.0
    assert local.examples == DEFAULT_MAX_EXAMPLES
    assert local.shrink and Settings().shrink
    assert not local.is_live and local.effective_budget is None
    assert Settings().uses_mock and Settings().effective_rate == 0.0
    assert resolve_settings({"rate": "unlimited"}, {}).effective_rate == 0.0


def test_report_dir_is_relative_to_the_working_directory(tmp_path: Path) -> None:
    assert resolve_settings({}, {}, cwd=tmp_path).report_dir == tmp_path / "reports"
    custom = resolve_settings({}, {"CAMPAIGN_REPORT_DIR": "out"}, cwd=tmp_path)
    assert custom.report_dir == tmp_path / "out"


@pytest.mark.parametrize(
    ("given", "env"),
    [({"live": "yes"}, {}), ({}, {"CAMPAIGN_LIVE": "1"}), ({"live": True}, {})],
)
def test_live_profile_applies_to_loopback_when_asked(given: dict, env: dict) -> None:
    settings = resolve_settings({**TARGET, "url": "http://127.0.0.1:9", "token": "t", **given}, env)
    assert settings.is_live and not settings.shrink
    assert settings.effective_rate == LIVE_RATE
    assert settings.examples == LIVE_MAX_EXAMPLES
    assert settings.effective_budget == LIVE_BUDGET
    assert settings.public()["live"] is True


def test_live_profile_from_the_config_file_and_each_default_overridden(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("live: true\nrate: 0\nbudget: 0\nmax-examples: 7\n")
    settings = resolve_settings({"config": str(config)}, {}, cwd=tmp_path)
    assert settings.is_live
    assert (settings.effective_rate, settings.effective_budget, settings.examples) == (
        0.0,
        None,
        7,
    )
    remote_off = resolve_settings({**TARGET, "token": "t", "live": "no"}, {})
    assert not remote_off.is_live and remote_off.effective_budget is None
    with pytest.raises(SettingsError, match="live must be yes or no"):
        resolve_settings({"live": "maybe"}, {})
