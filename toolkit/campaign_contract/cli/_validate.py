"""``campaign-contract validate``: check captured responses against the documented contract.

parse (``add_validate_arguments``) → options (:class:`ValidateOptions`) → build
(:func:`build_validate`) → :meth:`ValidateCommand.run` → exit code.
Exit 0: every document valid; 1: a violation or an unreadable input; 2: usage error.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from campaign_contract.captures._pool import validate_inputs_parallel
from campaign_contract.captures._run import Totals
from campaign_contract.cli._main import positive_int
from campaign_contract.cli._reporters import REPORTERS, ReportDirWriter, Reporter, Tee
from campaign_contract.validation._schemas import Profile
from campaign_contract.validation._validators import CampaignType

TYPE_CHOICES = ("auto", "voice", "sms")


@dataclass(frozen=True)
class ValidateOptions:
    """Everything ``validate`` needs, independent of argparse."""

    paths: tuple[str, ...]
    campaign_type: CampaignType | None = None
    profile: Profile = "documented"
    output_format: str = "text"
    jobs: int | None = None
    report_dir: Path | None = None
    checks_modules: tuple[str, ...] = ()


def add_validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Check captured responses of getAllCampaignDetails against the documented contract. "
        "PATH may be a .json file (one response), a .jsonl file (one response per line), "
        "a HAR capture (.har), a directory (searched recursively) or - for standard input."
    )
    parser.add_argument(
        "--type",
        choices=TYPE_CHOICES,
        default="auto",
        help="campaign type of the responses (default: auto — a HAR request's type, "
        "else detected from the results)",
    )
    parser.add_argument(
        "--format",
        choices=sorted(REPORTERS),
        default="text",
        help="output format (default: text)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also report undocumented fields and observations the page contradicts",
    )
    parser.add_argument(
        "--jobs",
        type=positive_int,
        default=None,
        metavar="N",
        help="processes to check with, this one included (default: every core once an input "
        "passes a few MB, else 1); the output is the same for any N",
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="also write report.html, report.json and summary.md for the run into DIR",
    )
    parser.add_argument(
        "--checks-module",
        action="append",
        default=[],
        metavar="MODULE",
        help="import this module (a module name or a .py file) first: the checks it registers "
        "with @campaign_contract.check judge every HAR request/response pair (repeatable)",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="input to check")


def options_from_args(args: argparse.Namespace) -> ValidateOptions:
    campaign_type: CampaignType | None = None
    if args.type == "voice":
        campaign_type = "voice"
    elif args.type == "sms":
        campaign_type = "sms"
    return ValidateOptions(
        paths=tuple(args.paths),
        campaign_type=campaign_type,
        profile="strict" if args.strict else "documented",
        output_format=args.format,
        jobs=args.jobs,
        report_dir=args.report_dir,
        checks_modules=tuple(args.checks_module),
    )


class ValidateCommand:
    """A configured ``validate`` run."""

    def __init__(self, options: ValidateOptions, reporter: Reporter, stdin: BinaryIO | None):
        self.options = options
        self.reporter = reporter
        self.stdin = stdin

    def run(self) -> int:
        totals = Totals()
        results = validate_inputs_parallel(
            self.options.paths,
            self.options.campaign_type,
            self.options.profile,
            stdin=self.stdin,
            stats=totals.read,
            jobs=self.options.jobs,
        )
        for result in results:
            totals.add(result)
            self.reporter.document(result)
        self.reporter.finish(totals)
        return 0 if totals.ok else 1


def build_validate(
    options: ValidateOptions, out: TextIO, stdin: BinaryIO | None = None
) -> ValidateCommand:
    reporter = REPORTERS[options.output_format](out)
    if options.report_dir is not None:
        reporter = Tee(reporter, ReportDirWriter(options.report_dir))
    if stdin is None and "-" in options.paths:
        stdin = sys.stdin.buffer
    return ValidateCommand(options, reporter, stdin)


def run_validate(
    args: argparse.Namespace, out: TextIO, err: TextIO, stdin: BinaryIO | None = None
) -> int:
    options = options_from_args(args)
    if options.checks_modules:
        from campaign_contract.oracles._registry import ChecksModuleError, load_checks_module

        try:
            for module in options.checks_modules:
                load_checks_module(module)
        except ChecksModuleError as exc:
            err.write(f"campaign-contract validate: {exc}\n")
            return 2
    return build_validate(options, out, stdin).run()
