"""Modules loaded when they are needed, or a little before: a package's names that load their
module on first use (PEP 562's module ``__getattr__``), and imports done ahead, in a thread,
while a core is idle."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(
    package: str, modules: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: a name in ``modules`` is imported from the module it
    maps to, then kept in ``namespace`` (the package's globals) so it loads once."""

    def __getattr__(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__


def preload(*modules: str) -> threading.Thread:
    """Import ``modules`` in a daemon thread, for a process that will need them soon and has a
    core to spare now. The code that needs one imports it as usual: Python's import lock has it
    wait for an import under way, and an import that fails here fails again there, where it is
    reported (the thread goes on with the next). A caller that needs the imports done within
    its own context (pytest's warning filters) joins the thread first."""

    def load() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # the import that needs it reports it
                continue

    thread = threading.Thread(target=load, name="campaign-contract-preload", daemon=True)
    thread.start()
    return thread
