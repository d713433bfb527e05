"""The README's architecture table names every subpackage and module of the package, and
nothing that is not there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "toolkit" / "campaign_contract"


def table_rows() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        found = re.match(r"\| `([\w/]+)` \|(.*)", line)
        if found:
            rows[found.group(1)] = found.group(2)
    return rows


def modules_named(cell: str) -> set[str]:
    return set(re.findall(r"\(`(_\w+)`", cell)) | set(re.findall(r", `(_\w+)`", cell))


def test_every_subpackage_and_top_level_module_has_a_row() -> None:
    subpackages = {p.name + "/" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "strategies"}
    assert set(table_rows()) == subpackages | modules


def test_every_module_of_a_subpackage_is_named_in_its_row() -> None:
    rows = table_rows()
    for name, cell in rows.items():
        if not name.endswith("/"):
            continue
        folder = PACKAGE / name.rstrip("/")
        present = {p.stem for p in folder.glob("*.py")} - {"__init__"}
        private = {m for m in present if m.startswith("_")}
        named = modules_named(cell) | {m for m in present if f"`{m}`" in cell}
        assert private <= named, f"{name}: not in the README's row: {sorted(private - named)}"
        missing = {m for m in modules_named(cell) if m not in present}
        assert not missing, f"{name}: the README names modules that do not exist: {missing}"
