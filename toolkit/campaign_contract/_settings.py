"""The settings of a contract run, read once from the command line, the environment and a file.

Every setting has one name (``app-id``), a pytest option (``--campaign-app-id``), a ``verify``
option (``--app-id``), an environment variable (``CAMPAIGN_APP_ID``) and a key in the YAML
config file (``app-id`` or ``app_id``). The command line wins over the environment, which wins
over the file. The result is a frozen :class:`Settings` whose ``repr`` never shows a credential.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from campaign_contract.client._exchange import (
    EndpointUrl,
    EndpointUrlError,
    is_loopback,
    split_endpoint_url,
)

DEFAULT_MAX_EXAMPLES = 50
"""Hypothesis examples per check against loopback (the embedded mock, a local server)."""
LIVE_MAX_EXAMPLES = 3
"""Examples per check in the live profile (the plan may give a check fewer), where requests
are paced."""
DEFAULT_REMOTE_MAX_EXAMPLES = LIVE_MAX_EXAMPLES
LIVE_RATE = 1.0
"""Requests per second in the live profile: the contact-center limit of 60 a minute."""
LIVE_BUDGET = 180
"""Requests a live-profile run may send unless told otherwise: three minutes at 1/s."""
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
DEFAULT_REPORT_DIR = "reports"
UNLIMITED_WORDS = frozenset({"0", "none", "unlimited", "off"})


class SettingsError(ValueError):
    """A setting is missing or malformed; the message is one line and never holds a secret."""


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its name, help text, whether it is a credential, whether it repeats."""

    name: str
    help: str
    secret: bool = False
    metavar: str = "VALUE"
    repeat: bool = False
    flag: bool = False
    """A yes/no setting: ``--live`` alone means yes, ``--live=no`` no."""

    def flag_arguments(self) -> dict[str, Any]:
        """Extra argparse arguments: a yes/no setting may be given without a value."""
        return {"nargs": "?", "const": "yes"} if self.flag else {}

    @property
    def key(self) -> str:
        """The Python identifier (``app_id``)."""
        return self.name.replace("-", "_")

    @property
    def env(self) -> str:
        """The environment variable (``CAMPAIGN_APP_ID``)."""
        return "CAMPAIGN_" + self.key.upper()

    @property
    def pytest_flag(self) -> str:
        return f"--campaign-{self.name}"

    @property
    def pytest_dest(self) -> str:
        return f"campaign_{self.key}"


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "url",
        "host root of the server, e.g. https://platform.kore.ai, or the full endpoint URL from "
        "the page's curl (its app id and account id are then used); without it the embedded "
        "mock is started on a free loopback port",
        metavar="URL",
    ),
    SettingSpec("app-id", "application id: streamId in the path and the iid header", metavar="ID"),
    SettingSpec("account-id", "account id: accountId query parameter and accountid header"),
    SettingSpec("token", "JWT sent in the auth header", secret=True, metavar="JWT"),
    SettingSpec("client-id", "client id to sign the JWT with (claim appId), instead of a token"),
    SettingSpec("client-secret", "client secret to sign the JWT with (HS256)", secret=True),
    SettingSpec(
        "live",
        "the live-tenant profile, for any host (loopback too, e.g. a tunnel): "
        f"{LIVE_RATE:g} request/s, {LIVE_MAX_EXAMPLES} examples per check, a budget of "
        f"{LIVE_BUDGET} requests, no shrinking; on by default for every host but loopback "
        "(--live=no turns it off); each default can be overridden",
        metavar="yes|no",
        flag=True,
    ),
    SettingSpec(
        "rate",
        f"requests per second, shared by every worker (default {LIVE_RATE:g} in the live "
        "profile, else unlimited; 0 means unlimited)",
        metavar="N",
    ),
    SettingSpec(
        "budget",
        f"most requests a run may send (default {LIVE_BUDGET} in the live profile, else "
        "unlimited; 0 means unlimited); the plan shares it among the checks",
        metavar="N",
    ),
    SettingSpec("report-dir", f"where reports go (default {DEFAULT_REPORT_DIR}/)", metavar="DIR"),
    SettingSpec("config", "YAML file holding any of these settings", metavar="FILE"),
    SettingSpec(
        "max-examples",
        f"hypothesis examples per check (default {DEFAULT_MAX_EXAMPLES}, "
        f"{LIVE_MAX_EXAMPLES} in the live profile)",
        metavar="N",
    ),
    SettingSpec(
        "min-coverage",
        "fail the run (exit 1) when any coverage dimension judged fewer than PCT percent of "
        "its values",
        metavar="PCT",
    ),
    SettingSpec(
        "label",
        "a label for the run shown in every report (environment, release, ticket)",
        metavar="TEXT",
    ),
    SettingSpec(
        "checks-module",
        "import this module (a module name or a .py file) to add checks of your own, "
        "registered with @campaign_contract.check (repeatable)",
        metavar="MODULE",
        repeat=True,
    ),
    SettingSpec(
        "fault",
        "with the embedded mock only: inject this named fault (repeatable)",
        metavar="NAME",
        repeat=True,
    ),
)
SPEC_BY_KEY: dict[str, SettingSpec] = {spec.key: spec for spec in SPECS}


@dataclass(frozen=True)
class Settings:
    """The resolved settings of a run. Credentials are kept out of ``repr`` and ``public()``."""

    url: str | None = None
    app_id: str | None = None
    account_id: str | None = None
    token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    rate: float | None = None
    budget: int | None = None
    report_dir: Path = Path(DEFAULT_REPORT_DIR)
    config: Path | None = None
    max_examples: int | None = None
    min_coverage: float | None = None
    label: str | None = None
    faults: tuple[str, ...] = ()
    live: bool | None = None
    """The live profile as given (``None``: by host, on for every host but loopback)."""
    checks_modules: tuple[str, ...] = ()

    @property
    def uses_mock(self) -> bool:
        """True when no URL was given and the embedded mock serves the run."""
        return self.url is None

    @property
    def is_live(self) -> bool:
        """Whether the live-tenant profile applies: as given, else for every non-loopback host."""
        if self.live is not None:
            return self.live
        return self.url is not None and not is_loopback(self.url)

    @property
    def effective_rate(self) -> float:
        """Requests per second to send (0 = unlimited): the given rate, else the profile's."""
        if self.rate is not None:
            return self.rate
        return LIVE_RATE if self.is_live else 0.0

    @property
    def effective_budget(self) -> int | None:
        """The most requests to send (``None`` = unlimited): the given budget (0 lifts it),
        else the profile's."""
        if self.budget is not None:
            return self.budget or None
        return LIVE_BUDGET if self.is_live else None

    @property
    def examples(self) -> int:
        """Hypothesis examples per check: the given number, else the profile's."""
        if self.max_examples is not None:
            return self.max_examples
        return LIVE_MAX_EXAMPLES if self.is_live else DEFAULT_MAX_EXAMPLES

    @property
    def shrink(self) -> bool:
        """Whether hypothesis shrinks a failing example: not in the live profile, where each
        step costs paced requests; a live tenant gets the failing example as found."""
        return not self.is_live

    def secrets(self) -> tuple[str, ...]:
        """The credential values, for scrubbing output."""
        return tuple(v for v in (self.token, self.client_secret) if v)

    def public(self) -> dict[str, Any]:
        """The settings fit for a report: no token, no client secret."""
        return {
            "url": self.url or "embedded mock",
            "app_id": self.app_id,
            "account_id": self.account_id,
            "client_id": self.client_id,
            "credentials": self.credential_kind(),
            "live": self.is_live,
            "rate": self.effective_rate or "unlimited",
            "budget": self.effective_budget,
            "report_dir": str(self.report_dir),
            "config": str(self.config) if self.config else None,
            "max_examples": self.examples,
            "min_coverage": self.min_coverage,
            "label": self.label,
            "faults": list(self.faults),
        }

    def credential_kind(self) -> str:
        if self.token:
            return "token"
        if self.client_id and self.client_secret:
            return "client id and secret"
        return "embedded mock's" if self.uses_mock else "none"


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def load_config_file(path: Path) -> dict[str, Any]:
    """The settings in a YAML file, by key (``app_id``); one-line errors for bad files."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    import yaml  # here: most runs read no config file

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise SettingsError(f"config file {path} is not valid YAML{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingsError(f"config file {path} must hold a mapping of settings")
    if isinstance(data.get("campaign"), dict) and len(data) == 1:
        data = data["campaign"]
    out: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = str(raw_key).strip().lower().replace("-", "_")
        key = "fault" if key == "faults" else key
        if key not in SPEC_BY_KEY or key == "config":
            known = ", ".join(s.name for s in SPECS if s.name != "config")
            raise SettingsError(f"config file {path}: unknown setting {raw_key!r} (known: {known})")
        if SPEC_BY_KEY[key].repeat:
            value = [value] if isinstance(value, str) else value
        out[key] = value
    return out


def _env_values(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in SPECS:
        raw = env.get(spec.env)
        if raw is None and spec.repeat:
            raw = env.get(spec.env + "S")
        if raw is None or not raw.strip():
            continue
        out[spec.key] = [p.strip() for p in raw.split(",") if p.strip()] if spec.repeat else raw
    return out


def _as_int(name: str, value: Any, *, minimum: int) -> int:
    if isinstance(value, bool):
        raise SettingsError(f"{name} must be a whole number, not {value!r}")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {number}")
    return number


def _as_flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise SettingsError(f"{name} must be yes or no, not {value!r}")


def _as_budget(value: Any) -> int:
    if isinstance(value, str) and value.strip().lower() in UNLIMITED_WORDS:
        return 0
    return _as_int("budget", value, minimum=0)


def _as_rate(value: Any) -> float:
    if isinstance(value, str) and value.strip().lower() in UNLIMITED_WORDS:
        return 0.0
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise SettingsError(
            f"rate must be requests per second (a positive number, 0 for unlimited), not {value!r}"
        ) from None
    if rate < 0 or math.isnan(rate) or math.isinf(rate):
        raise SettingsError(f"rate must be 0 (unlimited) or a positive number, not {value!r}")
    return rate


def _as_percent(name: str, value: Any) -> float:
    text = str(value).strip().removesuffix("%")
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if math.isnan(number) or not 0 <= number <= 100:
        raise SettingsError(f"{name} must be a percentage from 0 to 100, not {value!r}")
    return number


def _as_url(value: Any) -> EndpointUrl:
    """A host root, or the full endpoint URL (its app id and account id taken along)."""
    text = str(value).strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if "@" in (parts.netloc if parts is not None else text):
        raise SettingsError(
            "url must not hold credentials (user:password@host); give the token, or the "
            "client-id and client-secret settings"
        )
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"url must be an http(s) host root such as https://platform.kore.ai, not {text!r}"
        )
    try:
        return split_endpoint_url(text)
    except EndpointUrlError as exc:
        raise SettingsError(str(exc)) from None


def _agree(name: str, given: str | None, from_url: str | None) -> str | None:
    """The setting's value: the one given, which must match the endpoint URL's when it has one."""
    if given is not None and from_url is not None and given != from_url:
        raise SettingsError(
            f"{name} {given!r} disagrees with the endpoint URL's {from_url!r}; drop one of them"
        )
    return given if given is not None else from_url


def _as_str(name: str, value: Any) -> str:
    if isinstance(value, dict | list):
        raise SettingsError(f"{name} must be a single value")
    return str(value)


def resolve_settings(
    cli: Mapping[str, Any],
    env: Mapping[str, str] | None = None,
    *,
    cwd: Path | None = None,
    known_faults: Callable[[], Sequence[str]] | None = None,
) -> Settings:
    """Merge the command line (by key, ``None`` = not given), the environment and the config
    file into :class:`Settings`. Raises :class:`SettingsError` with a one-line message."""
    env = os.environ if env is None else env
    base = Path.cwd() if cwd is None else cwd
    given = {k: _clean(v) for k, v in cli.items() if k in SPEC_BY_KEY}
    given = {k: v for k, v in given.items() if v not in (None, [], ())}
    from_env = _env_values(env)
    config_value = given.get("config") or from_env.get("config")
    config_path = (base / str(config_value)).resolve() if config_value else None
    from_file = load_config_file(config_path) if config_path else {}
    merged: dict[str, Any] = {}
    for source in (from_file, from_env, given):
        for key, value in source.items():
            value = _clean(value)
            if value not in (None, [], ()):
                merged[key] = value
    return _build(merged, config_path, base, known_faults)


def _build(
    merged: Mapping[str, Any],
    config_path: Path | None,
    base: Path,
    known_faults: Callable[[], Sequence[str]] | None,
) -> Settings:
    endpoint = _as_url(merged["url"]) if merged.get("url") else None
    url = endpoint.host_root if endpoint is not None else None
    text = {
        k: _as_str(k.replace("_", "-"), merged[k])
        for k in SPEC_BY_KEY
        if k in merged and not SPEC_BY_KEY[k].repeat and not SPEC_BY_KEY[k].flag
    }
    if endpoint is not None:
        for key, found in (("app_id", endpoint.app_id), ("account_id", endpoint.account_id)):
            value = _agree(SPEC_BY_KEY[key].name, text.get(key), found)
            if value is not None:
                text[key] = value
    faults = tuple(str(f).strip() for f in merged.get("fault", ()) if str(f).strip())
    if faults and url is not None:
        raise SettingsError(
            "fault injects a fault into the embedded mock; it cannot be used with url"
        )
    if faults and known_faults is not None:
        known = list(known_faults())
        unknown = [f for f in faults if f not in known]
        if unknown:
            raise SettingsError(
                f"unknown fault {unknown[0]!r}; known faults: {', '.join(sorted(known))}"
            )
    settings = Settings(
        url=url,
        app_id=text.get("app_id"),
        account_id=text.get("account_id"),
        token=text.get("token"),
        client_id=text.get("client_id"),
        client_secret=text.get("client_secret"),
        rate=_as_rate(merged["rate"]) if "rate" in merged else None,
        budget=_as_budget(merged["budget"]) if "budget" in merged else None,
        report_dir=base / text.get("report_dir", DEFAULT_REPORT_DIR),
        config=config_path,
        max_examples=(
            _as_int("max-examples", merged["max_examples"], minimum=1)
            if "max_examples" in merged
            else None
        ),
        min_coverage=(
            _as_percent("min-coverage", merged["min_coverage"])
            if "min_coverage" in merged
            else None
        ),
        label=text.get("label"),
        faults=faults,
        live=_as_flag("live", merged["live"]) if "live" in merged else None,
        checks_modules=tuple(
            str(m).strip() for m in merged.get("checks_module", ()) if str(m).strip()
        ),
    )
    _require_target(settings)
    return settings


def check_report_dir(path: Path) -> None:
    """Make sure reports can go to ``path`` (creating it), before the run sends anything."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SettingsError(f"report-dir {path} cannot be created: {reason}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise SettingsError(f"report-dir {path} is not writable")


def _require_target(settings: Settings) -> None:
    if settings.url is None:
        return
    missing = [name for name in ("app_id", "account_id") if not getattr(settings, name)]
    if missing:
        names = " and ".join(SPEC_BY_KEY[m].name for m in missing)
        raise SettingsError(f"with url, give the {names} as well")
    if settings.token:
        return
    if settings.client_id and settings.client_secret:
        return
    if settings.client_id or settings.client_secret:
        raise SettingsError("give both client-id and client-secret, or a token")
    raise SettingsError("with url, give a token, or a client-id and client-secret")
