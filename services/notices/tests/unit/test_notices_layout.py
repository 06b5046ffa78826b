"""The notices package keeps the shape every service shares (docs/architecture.md): each folder
imports only what its row of the table allows, so the domain stays pure and the web, the log and
the read models depend on it, never the other way round."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "notices"

# Inside the package: which parts each part may import (a part is a top module or a folder).
MAY_IMPORT = {
    "domain": {"domain"},
    "handlers": {"domain", "queries", "wiring", "handlers"},
    "projections": {"domain", "projections"},
    "queries": {"domain", "projections", "queries"},
    "api": {"domain", "handlers", "queries", "wiring", "access", "api"},
    "wiring": {"domain"},
    "policies": {"domain", "handlers", "queries", "wiring"},
    "deadlines": {"domain", "handlers", "queries", "wiring"},
    "events_doc": {"domain"},
    "replay": {"domain"},
    "access": set(),
}
# What the pure domain may use from outside the package.
DOMAIN_MAY_USE = {
    "shared.events",
    "shared.errors",
    "shared.calendar",
    "shared.urn",
    "shared.text",
    "shared.jsonable",
}
NOT_IN_DOMAIN = ("asyncpg", "fastapi", "shared.web", "shared.eventlog")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                names.add(".".join([*base, node.module] if node.module else base))
            else:
                names.add(node.module or "")
    return names


def part_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "notices" or len(parts) < 2:
        return None
    return parts[1]


def test_each_part_imports_only_what_its_row_allows():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = part_of(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        if here in (None, "main", "__init__"):
            continue
        for name in imported_modules(path):
            there = part_of(name)
            if there is not None and there != here and there not in MAY_IMPORT[here]:
                problems.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not problems, "\n".join(problems)


def test_the_domain_stays_pure():
    problems = []
    for path in sorted((PACKAGE / "domain").rglob("*.py")):
        for name in imported_modules(path):
            if name.startswith(NOT_IN_DOMAIN) or (
                name.startswith("shared") and not name.startswith(tuple(DOMAIN_MAY_USE))
            ):
                problems.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not problems, "\n".join(problems)


def test_nothing_but_main_imports_the_api():
    importers = [
        path.relative_to(PACKAGE)
        for path in PACKAGE.rglob("*.py")
        if path.parts[len(PACKAGE.parts)] not in ("api", "main.py")
        and any(part_of(name) == "api" for name in imported_modules(path))
    ]
    assert importers == []
