"""Rewrite README's example outputs from real runs, so counts and outputs cannot drift.

Each generated block sits between ``<!-- generated: NAME -->`` and ``<!-- /generated -->``:

- ``validate``: the ``campaign-contract validate`` session, run on the test fixtures (exact);
- ``verify-summary``: the end of a ``campaign-contract verify`` run against the embedded mock;
- ``verify-fault``: the verdict of ``campaign-contract verify --fault skip-off-by-one``.

``python benchmarks/readme_examples.py`` runs them all (about two suite runs) and rewrites
README.md; ``--only validate`` limits it to the fast, exact block. ``tests/test_readme_examples.py``
compares the validate block and the check counts of the verify blocks with real runs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FIXTURES = ROOT / "tests" / "fixtures"
BLOCK = re.compile(
    r"(<!-- generated: (?P<name>[\w-]+) -->\n```(?P<lang>\w*)\n)"
    r"(?P<body>.*?)(```\n<!-- /generated -->)",
    re.S,
)
SUMMARY_ROWS = ("auth-missing", "schema", "filter-status", "crawl", "sort-order[name-asc]")
FAULT = "skip-off-by-one"
VALIDATE_SESSION: tuple[tuple[str, ...], ...] = (
    ("response-voice.json", "response-sms.json"),
    ("priority-number.json",),
    ("--format", "json", "priority-number.json"),
    ("capture.har",),
    ("request-voice.json", "request-sms.json"),
    ("--strict", "response-sms.json"),
)
STRICT_TAIL = 2
"""Lines of the ``--strict`` run shown (the rest is elided with ``…``)."""


def _cli(argv: list[str]) -> str:
    from campaign_contract.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(argv)
    return out.getvalue()


def _priority_number(target: Path) -> None:
    body = json.loads((FIXTURES / "response-voice.json").read_text(encoding="utf-8"))
    body["data"]["results"][2]["priority"] = 5
    target.write_text(json.dumps(body, indent=2), encoding="utf-8")


def validate_block() -> str:
    """The validate session, run in a folder holding the fixtures under their README names."""
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        for name in ("response-voice.json", "response-sms.json", "capture.har"):
            shutil.copy(FIXTURES / name, name)
        for name in ("request-voice.json", "request-sms.json"):
            shutil.copy(FIXTURES / name, name)
        _priority_number(Path("priority-number.json"))
        parts = []
        for argv in VALIDATE_SESSION:
            output = _cli(["validate", *argv]).rstrip("\n").splitlines()
            if "--strict" in argv:
                output = ["…", *output[-STRICT_TAIL:]]
            parts.append("\n".join([f"$ campaign-contract validate {' '.join(argv)}", *output]))
    return "\n\n".join(parts) + "\n"


def _verify(*argv: str) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-c", "from campaign_contract.cli import main; main()"]
        done = subprocess.run(
            [*command, "verify", *argv],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    return done.stdout.replace(folder + "/", "").splitlines()


def verify_summary_block() -> str:
    lines = _verify()
    start = next(i for i, line in enumerate(lines) if line.startswith("check "))
    end = next(i for i, line in enumerate(lines) if line.startswith("verdict:"))
    rows = [line for line in lines[start + 1 : end] if line.split()[0] in SUMMARY_ROWS]
    tail = [line for line in lines[end:] if line.split(":")[0] in ("verdict", "requests", "seed")]
    tail += [line for line in lines[end:] if line.startswith("reports: ")]
    return "\n".join([lines[start], *rows, "…", *tail]) + "\n"


def verify_fault_block() -> str:
    lines = _verify("--fault", FAULT)
    verdict = next(line for line in lines if line.startswith("verdict:"))
    return "\n".join([f"$ campaign-contract verify --fault {FAULT}", "…", verdict]) + "\n"


GENERATORS: dict[str, Callable[[], str]] = {
    "validate": validate_block,
    "verify-summary": verify_summary_block,
    "verify-fault": verify_fault_block,
}


def blocks(text: str) -> dict[str, str]:
    """README's generated blocks by name: their text as it stands."""
    return {m["name"]: m["body"] for m in BLOCK.finditer(text)}


def rewrite(text: str, fresh: dict[str, str]) -> str:
    """``text`` with each named block replaced by its fresh output."""

    def replace(match: re.Match[str]) -> str:
        body = fresh.get(match["name"], match["body"])
        return match.group(1) + body + match.group(5)

    return BLOCK.sub(replace, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(GENERATORS), action="append")
    args = parser.parse_args(argv)
    names = args.only or list(GENERATORS)
    text = README.read_text(encoding="utf-8")
    missing = [name for name in names if name not in blocks(text)]
    if missing:
        print(f"README.md has no generated block {missing[0]!r}", file=sys.stderr)
        return 1
    fresh = {name: GENERATORS[name]() for name in names}
    README.write_text(rewrite(text, fresh), encoding="utf-8")
    print(f"rewrote {', '.join(names)} in {README}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
