"""``campaign-contract record``: save a tenant's campaigns as a file the mock serves.

parse (``add_record_arguments``) → options (:class:`RecordOptions`) → build
(:func:`build_record`) → :meth:`RecordCommand.run` → exit code.
Exit 0: every campaign of both types recorded; 1: the file could not be written or the server
refused the walk (4xx); 2: usage error; 3: incomplete (budget, throttling, cap, unreachable —
what was recorded is still written, and the file says so).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml

from campaign_contract._files import write_atomically
from campaign_contract._settings import SPEC_BY_KEY, Settings, SettingsError, resolve_settings
from campaign_contract.cli._main import positive_int
from campaign_contract.export._anonymise import anonymise
from campaign_contract.export._record import (
    DEFAULT_MAX_CAMPAIGNS,
    PAGE_LIMIT,
    Recording,
    record_tenant,
    recording_document,
)

SETTING_KEYS = (
    "url",
    "app_id",
    "account_id",
    "token",
    "client_id",
    "client_secret",
    "rate",
    "budget",
    "config",
)
"""The run settings ``record`` takes (the live profile: pacing, budget, credentials)."""
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class RecordOptions:
    settings: Settings
    out: Path
    anonymise: bool = False
    limit: int = PAGE_LIMIT
    max_campaigns: int = DEFAULT_MAX_CAMPAIGNS


def add_record_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Walk every voice and SMS campaign of a tenant (read-only, paced, budgeted) and write "
        "them to a JSON or YAML file that `campaign-contract mock --data FILE` serves as they "
        "were. Credentials are never written."
    )
    group = parser.add_argument_group("target (each also CAMPAIGN_<NAME> or --config)")
    for key in SETTING_KEYS:
        spec = SPEC_BY_KEY[key]
        group.add_argument(f"--{spec.name}", dest=key, metavar=spec.metavar, help=spec.help)
    parser.add_argument(
        "--out", required=True, metavar="FILE", help="YAML for .yaml/.yml, else JSON"
    )
    parser.add_argument(
        "--anonymise",
        "--anonymize",
        action="store_true",
        help="replace names, descriptions, ids and list names, keeping every sort and filter "
        "relation",
    )
    parser.add_argument(
        "--limit",
        type=positive_int,
        default=PAGE_LIMIT,
        metavar="N",
        help=f"page size asked for ({PAGE_LIMIT})",
    )
    parser.add_argument(
        "--max-campaigns",
        type=positive_int,
        default=DEFAULT_MAX_CAMPAIGNS,
        metavar="N",
        help=f"campaigns recorded per type at most ({DEFAULT_MAX_CAMPAIGNS})",
    )


def options_from_args(args: argparse.Namespace) -> RecordOptions:
    """Resolve the settings; raises :class:`SettingsError` naming what to fix."""
    cli = {key: getattr(args, key, None) for key in SETTING_KEYS}
    settings = resolve_settings(cli)
    if settings.url is None:
        raise SettingsError("give the tenant's --url (and its app id, account id, credentials)")
    return RecordOptions(
        settings=settings,
        out=Path(args.out),
        anonymise=bool(args.anonymise),
        limit=args.limit,
        max_campaigns=args.max_campaigns,
    )


def render(document: dict[str, Any], path: Path) -> str:
    if path.suffix.lower() in YAML_SUFFIXES:
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class RecordCommand:
    options: RecordOptions

    def record(self) -> tuple[Recording, dict[str, Any]]:
        """Walk the tenant; the recording and the file's content."""
        from campaign_contract.client._auth import resolve_token
        from campaign_contract.client._client import CampaignClient
        from campaign_contract.client._exchange import Target

        s = self.options.settings
        assert s.url is not None and s.app_id is not None and s.account_id is not None
        token = resolve_token(s.token, s.client_id, s.client_secret)
        target = Target(s.url, s.app_id, s.account_id, token)
        with CampaignClient(target, rate=s.effective_rate, budget=s.budget) as client:
            recording = record_tenant(
                client, limit=self.options.limit, max_campaigns=self.options.max_campaigns
            )
        campaigns = recording.campaigns()
        about: dict[str, Any] = {"tool": "campaign-contract record"}
        if self.options.anonymise:
            campaigns = anonymise(campaigns)
            about["anonymised"] = True
        else:
            about.update(host=s.url, app_id=s.app_id, account_id=s.account_id)
        secrets = (*s.secrets(), str(token))
        return recording, recording_document(recording, campaigns, about=about, secrets=secrets)

    def run(self, out: TextIO, err: TextIO) -> int:
        recording, document = self.record()
        path = self.options.out
        try:
            write_atomically(path, render(document, path))
        except OSError as exc:
            err.write(f"campaign-contract record: cannot write {path}: {exc.strerror or exc}\n")
            return EXIT_FAILED
        counts = ", ".join(f"{len(document[k])} {k}" for k in recording.types)
        out.write(
            f"campaign-contract record: {counts} campaigns in {recording.requests} requests "
            f"written to {path}\n"
        )
        stopped = [f"{k}: {t.stopped}" for k, t in recording.types.items() if t.stopped]
        if not stopped:
            return EXIT_OK
        err.write("campaign-contract record: incomplete — " + "; ".join(stopped) + "\n")
        refused = any(
            (t.stopped or "").startswith("the server answered HTTP 4")
            for t in recording.types.values()
        )
        return EXIT_FAILED if refused else EXIT_INCOMPLETE


def build_record(options: RecordOptions) -> RecordCommand:
    return RecordCommand(options)


def run_record(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        options = options_from_args(args)
    except SettingsError as exc:
        err.write(f"campaign-contract record: {exc}\n")
        return EXIT_USAGE
    return build_record(options).run(out, err)
