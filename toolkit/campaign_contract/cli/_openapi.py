"""``campaign-contract openapi``: the contract as an OpenAPI 3.1 document for other tools.

parse (``add_openapi_arguments``) → options (:class:`OpenApiOptions`) → build
(:func:`build_openapi`) → :meth:`OpenApiCommand.run` → exit code.
Exit 0: written; 1: the file could not be written; 2: usage error.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml

from campaign_contract._files import write_atomically
from campaign_contract.export._openapi import DEFAULT_SERVER, openapi_document

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class OpenApiOptions:
    """Everything ``openapi`` needs, independent of argparse."""

    app_id: str | None = None
    account_id: str | None = None
    server: str = DEFAULT_SERVER
    out: Path | None = None
    output_format: str = "json"


def add_openapi_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write the endpoint's OpenAPI 3.1 document, derived from the schemas (documented "
        "profile), for Schemathesis, Prism, Spectral or a code generator. Ids given are the "
        "only values the document allows, so generic tools send requests that are accepted."
    )
    parser.add_argument("--app-id", metavar="ID", help="pin streamId and the iid header")
    parser.add_argument("--account-id", metavar="ID", help="pin accountId and accountid")
    parser.add_argument(
        "--server", default=DEFAULT_SERVER, metavar="URL", help=f"servers[0] ({DEFAULT_SERVER})"
    )
    parser.add_argument(
        "--out", metavar="FILE", help="write here (YAML for .yaml/.yml, else JSON); else stdout"
    )
    parser.add_argument(
        "--format",
        dest="output_format",
        choices=("json", "yaml"),
        default=None,
        help="output format (default: from --out's suffix, else json)",
    )


def options_from_args(args: argparse.Namespace) -> OpenApiOptions:
    out = Path(args.out) if args.out else None
    fmt = args.output_format
    if fmt is None:
        fmt = "yaml" if out is not None and out.suffix.lower() in YAML_SUFFIXES else "json"
    return OpenApiOptions(
        app_id=(args.app_id or "").strip() or None,
        account_id=(args.account_id or "").strip() or None,
        server=args.server,
        out=out,
        output_format=fmt,
    )


def render(document: dict[str, Any], output_format: str) -> str:
    """The document as JSON or YAML text."""
    if output_format == "yaml":
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class OpenApiCommand:
    options: OpenApiOptions

    def run(self, out: TextIO, err: TextIO) -> int:
        o = self.options
        document = openapi_document(app_id=o.app_id, account_id=o.account_id, server=o.server)
        text = render(document, o.output_format)
        if o.out is None:
            out.write(text)
            return 0
        try:
            write_atomically(o.out, text)
        except OSError as exc:
            err.write(f"campaign-contract openapi: cannot write {o.out}: {exc.strerror or exc}\n")
            return 1
        err.write(f"campaign-contract openapi: wrote {o.out}\n")
        return 0


def build_openapi(options: OpenApiOptions) -> OpenApiCommand:
    return OpenApiCommand(options)


def run_openapi(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return build_openapi(options_from_args(args)).run(out, err)
