"""The summary table of ``schemas/SPEC_NOTES.md``: a short description for each note id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from campaign_contract.validation._schemas import schema_dir

_ROW = re.compile(r"^\|\s*(S-\d+)\s*\|(.*)\|\s*$")


@dataclass(frozen=True)
class SpecNote:
    """One row of the register: the id, the point the page is unclear on, the decision."""

    id: str
    point: str
    decision: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "point": self.point, "decision": self.decision}


def parse_spec_notes(text: str) -> dict[str, SpecNote]:
    """The rows ``| S-nn | point | decision |`` of a SPEC_NOTES table, by id."""
    notes: dict[str, SpecNote] = {}
    for line in text.splitlines():
        match = _ROW.match(line.strip())
        if not match:
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", match.group(2))]
        point = cells[0] if cells else ""
        decision = " | ".join(cells[1:]) if len(cells) > 1 else ""
        notes.setdefault(match.group(1), SpecNote(match.group(1), point, decision))
    return notes


def load_spec_notes(path: Path | None = None) -> dict[str, SpecNote]:
    """The register's summary table; empty when the file cannot be found or read."""
    try:
        source = path if path is not None else schema_dir() / "SPEC_NOTES.md"
        return parse_spec_notes(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
