"""Argument parsing and dispatch for ``campaign-contract``.

Each subcommand lives in its own module, imported only when that subcommand is used, and
provides ``add_<name>_arguments(parser)`` and ``run_<name>(args, out, err) -> int``. A missing
module makes its subcommand fail with a one-line "not available" error (exit 2) instead of
breaking the others. Usage errors exit 2; no traceback ever reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import NoReturn, TextIO

from campaign_contract import __version__

PROG = "campaign-contract"


def positive_int(text: str) -> int:
    """An argparse ``type``: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


@dataclass(frozen=True)
class Subcommand:
    help: str
    module: str
    add_arguments: str
    run: str


SUBCOMMANDS: dict[str, Subcommand] = {
    "validate": Subcommand(
        "check captured responses (JSON, JSONL, HAR, directories, stdin) against the contract",
        "campaign_contract.cli._validate",
        "add_validate_arguments",
        "run_validate",
    ),
    "mock": Subcommand(
        "serve a mock of the endpoint that follows the documented contract",
        "campaign_contract.cli._mock",
        "add_mock_arguments",
        "run_mock",
    ),
    "verify": Subcommand(
        "run the contract suite against a live server or the mock",
        "campaign_contract.cli._verify",
        "add_verify_arguments",
        "run_verify",
    ),
    "openapi": Subcommand(
        "write the endpoint's OpenAPI 3.1 document, derived from the schemas",
        "campaign_contract.cli._openapi",
        "add_openapi_arguments",
        "run_openapi",
    ),
    "record": Subcommand(
        "save a tenant's campaigns (read-only walk) as a file `mock --data` serves",
        "campaign_contract.cli._record",
        "add_record_arguments",
        "run_record",
    ),
}


class UsageError(Exception):
    def __init__(self, usage: str, message: str) -> None:
        super().__init__(message)
        self.usage = usage
        self.message = message


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that raises :class:`UsageError` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(self.format_usage(), f"{self.prog}: error: {message}")


def _command_name(argv: list[str]) -> str | None:
    for token in argv:
        if token == "--":
            return None
        if not token.startswith("-"):
            return token
    return None


def _load(subcommand: Subcommand) -> tuple[ModuleType | None, str]:
    try:
        module = importlib.import_module(subcommand.module)
    except ImportError as error:
        return None, str(error)
    for name in (subcommand.add_arguments, subcommand.run):
        if not callable(getattr(module, name, None)):
            return None, f"{subcommand.module} has no {name}()"
    return module, ""


def build_parser(command: str | None = None) -> tuple[Parser, ModuleType | None, str]:
    """The parser; the arguments of ``command`` only are added (its module is imported).

    Returns the parser, the loaded module of ``command`` (``None`` when it is unknown or not
    available) and, when not available, why.
    """
    parser = Parser(
        prog=PROG,
        description="Contract tests and validation for Kore.ai's Get All SMS/Voice Campaigns API.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    loaded: ModuleType | None = None
    reason = ""
    for name, subcommand in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=subcommand.help, description=subcommand.help)
        if name == command:
            loaded, reason = _load(subcommand)
            if loaded is not None:
                getattr(loaded, subcommand.add_arguments)(sub)
    return parser, loaded, reason


def _dispatch(argv: list[str], out: TextIO, err: TextIO) -> int:
    command = _command_name(argv)
    parser, module, reason = build_parser(command)
    if command in SUBCOMMANDS and module is None:
        err.write(f"{PROG} {command}: not available in this installation ({reason})\n")
        return 2
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        err.write(error.usage)
        err.write(error.message + "\n")
        return 2
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    assert module is not None and command is not None
    run = getattr(module, SUBCOMMANDS[command].run)
    return int(run(args, out, err))


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _tolerant(stream: TextIO) -> TextIO:
    """``stream`` set to escape what its encoding cannot hold (odd file names, a C locale)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError):
            pass
    return stream


def run_cli(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``campaign-contract`` with ``argv``; returns the exit code, never raises."""
    out = out if out is not None else _tolerant(sys.stdout)
    err = err if err is not None else _tolerant(sys.stderr)
    try:
        return _dispatch(argv, out, err)
    except KeyboardInterrupt:
        err.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except Exception as error:
        err.write(f"{PROG}: internal error: {type(error).__name__}: {error}\n")
        return 2
