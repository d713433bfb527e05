"""Tidying the JUnit XML pytest wrote: test cases named by their checks, no hypothesis blobs.

pytest's junitxml names a test case after its test function (``test_sort_order[name-asc]``)
and hypothesis adds a base64 statistics property per test to the test suite. A CI system
shows these names and properties to people: the case is renamed to its check
(``sort-order[name-asc]``, from the ``check`` property the plugin records) and the
statistics are dropped. A file that cannot be read or parsed is left as it is.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from campaign_contract._files import write_atomically

CHECK_PROPERTY = "check"
DROPPED_PREFIX = "hypothesis-statistics"


def tidy_junit(path: Path) -> bool:
    """Rewrite ``path`` in place; True when it was rewritten."""
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError):
        return False
    for properties in list(tree.getroot().iter("properties")):
        for prop in list(properties):
            if (prop.get("name") or "").startswith(DROPPED_PREFIX):
                properties.remove(prop)
    for parent in tree.getroot().iter():
        for child in list(parent):
            if child.tag == "properties" and len(child) == 0:
                parent.remove(child)
    for case in tree.getroot().iter("testcase"):
        for prop in case.iter("property"):
            if prop.get("name") == CHECK_PROPERTY and prop.get("value"):
                case.set("name", str(prop.get("value")))
                break
    text = ET.tostring(tree.getroot(), encoding="unicode", xml_declaration=True)
    write_atomically(path, text)
    return True
