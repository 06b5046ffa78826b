"""Every service has the shape docs/architecture.md describes, and keeps its import rules.

The rules are read from the table in docs/architecture.md ("The folders of a service"), so the
page and this test cannot disagree: change the shape there and this test enforces the new one.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared.migrations import REPO_ROOT
from shared.services import SERVICES

ARCHITECTURE = REPO_ROOT / "docs" / "architecture.md"
SERVICE_PACKAGES = {spec.name: spec.app.split(".")[0] for spec in SERVICES}
# All that pure domain code may use from outside its own package: the standard library, pydantic
# and the pure parts of shared/ - never I/O, the web, the clock or the log's machinery.
DOMAIN_MAY_USE = ("pydantic", "shared.events", "shared.errors", "shared.calendar", "shared.council_calendar",
                  "shared.urn", "shared.text", "shared.jsonable", "shared.csv_cells", "shared.privacy.events")
# The command side every service that writes streams of its own has.
COMMAND_SIDE = ("handlers", "domain", "domain/catalogue.py", "replay.py")
# ...and what a service keeping read models and reacting to other services' events has besides.
READ_MODELS_AND_REACTIONS = ("projections", "events_doc.py", "policies.py")
# The event-log service writes only the data protection officer's records (legal holds, erasures,
# the retention schedule): it folds them from the log when it decides, keeps no read model, reacts
# to no event, and its events are described in the published catalogue (docs/architecture.md).
KEEPS_NO_READ_MODELS = {"event-log"}
# Names the shape retired: one name for one thing.
RETIRED = ("api/common.py", "api/deps.py", "api/public.py", "api/records.py", "contract.py", "event_docs.py",
           "handlers/log.py")


@dataclass(frozen=True)
class Folder:
    layer: str
    may_import: frozenset[str]


def _shape() -> dict[str, Folder]:
    """The rows of the table: `path` | what it holds | may import."""
    text = ARCHITECTURE.read_text()
    section = text.split("## The folders of a service", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    layers = [re.match(r"\| `([a-z_]+)", row).group(1) for row in rows]
    folders = {}
    for row, layer in zip(rows, layers, strict=True):
        rule = row.rstrip(" |").rsplit("|", 1)[1].strip()
        named = set(re.findall(r"`([a-z_]+)`", rule))
        if rule.startswith("anything but"):
            allowed = set(layers) - named
        elif rule == "anything":
            allowed = set(layers)
        else:
            allowed = named
        folders[layer] = Folder(layer, frozenset(allowed | {layer}))
    return folders


SHAPE = _shape()


def _package_dir(service: str) -> Path:
    return REPO_ROOT / "services" / service / SERVICE_PACKAGES[service]


def _layer_of(package: Path, module: Path) -> str | None:
    first = module.relative_to(package).parts[0]
    name = first.removesuffix(".py")
    return name if name in SHAPE else None


def _imports(package_name: str, module: Path, package: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in a module, relative ones made absolute."""
    tree = ast.parse(module.read_text(), str(module))
    here = [package_name, *module.relative_to(package).with_suffix("").parts]
    if module.name == "__init__.py":
        here = here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + (1 if module.name == "__init__.py" else 0)]
                target = ".".join([*base, node.module] if node.module else base)
                names = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
                found += [(node.lineno, n) for n in names]
            else:
                found.append((node.lineno, node.module or ""))
                found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def _pure(name: str, own: str) -> bool:
    top = name.split(".")[0]
    return (
        top in {own, "__future__"}
        or top in sys.stdlib_module_names
        or any(name == allowed or name.startswith(allowed + ".") for allowed in DOMAIN_MAY_USE)
    )


def _modules(service: str) -> list[Path]:
    return sorted(p for p in _package_dir(service).rglob("*.py") if "__pycache__" not in p.parts)


def test_the_architecture_page_describes_every_folder_it_names() -> None:
    assert {"main", "wiring", "access", "api", "handlers", "domain", "projections", "queries"} <= set(SHAPE)
    assert SHAPE["domain"].may_import == {"domain"}
    assert "projections" not in SHAPE["api"].may_import


@pytest.mark.parametrize("service", sorted(SERVICE_PACKAGES))
def test_each_service_has_the_folders_of_the_shape(service: str) -> None:
    package = _package_dir(service)
    required = ["main.py", "wiring.py", "access.py", "api", "queries", *COMMAND_SIDE]
    if service not in KEEPS_NO_READ_MODELS:
        required += READ_MODELS_AND_REACTIONS
    missing = [name for name in required if not (package / name).exists()]
    assert not missing, f"{service} lacks {missing}"
    assert (package / "api" / "schemas.py").exists() or (package / "api" / "schemas" / "__init__.py").exists()
    retired = [name for name in RETIRED if (package / name).exists()]
    retired += [str(p.relative_to(package)) for p in package.rglob("*_schemas.py")]
    assert not retired, f"{service} still has {retired}: the shape names these once (api/schemas, events_doc, wiring)"
    if service in KEEPS_NO_READ_MODELS:
        extra = [name for name in READ_MODELS_AND_REACTIONS if (package / name).exists()]
        assert not extra, f"the {service} service keeps no read models and reacts to no events, yet has {extra}"


@pytest.mark.parametrize("service", sorted(SERVICE_PACKAGES))
def test_each_service_imports_only_what_its_folders_may(service: str) -> None:
    package = _package_dir(service)
    own = SERVICE_PACKAGES[service]
    others = set(SERVICE_PACKAGES.values()) - {own}
    broken = []
    for module in _modules(service):
        layer = _layer_of(package, module)
        where = f"{module.relative_to(REPO_ROOT)}"
        for line, name in _imports(own, module, package):
            top = name.split(".")[0]
            if top in others:
                broken.append(f"{where}:{line} imports another service: {name}")
                continue
            if layer == "domain" and not _pure(name, own):
                broken.append(f"{where}:{line} domain code imports {name}")
            if top != own or layer is None:
                continue
            parts = name.split(".")
            target = parts[1].removesuffix(".py") if len(parts) > 1 else None
            if target == "api" and layer not in {"api", "main"}:
                broken.append(f"{where}:{line} imports the API ({name}); only main may")
            elif target in SHAPE and target not in SHAPE[layer].may_import:
                broken.append(f"{where}:{line} {layer} imports {target} ({name})")
    assert not broken, "\n".join(broken)


def test_a_layer_rule_that_is_broken_is_found(tmp_path: Path) -> None:
    """The check above can fail: a domain module importing a handler is reported."""
    package = tmp_path / "demo"
    (package / "domain").mkdir(parents=True)
    module = package / "domain" / "rules.py"
    module.write_text("from demo.handlers import run\nfrom ..wiring import Root\nimport asyncpg\n")
    imports = _imports("demo", module, package)
    assert (1, "demo.handlers") in imports
    assert (2, "demo.wiring") in imports
    assert _layer_of(package, module) == "domain"
    assert "handlers" not in SHAPE["domain"].may_import and "wiring" not in SHAPE["domain"].may_import
    assert not _pure("asyncpg", "demo") and not _pure("shared.web.commands", "demo")
    assert _pure("shared.events.Event", "demo") and _pure("datetime", "demo")


def _defines(module: Path, dotted: str) -> bool:
    """Whether a module defines ``name`` or ``Class.method`` (a def, a class or an assignment)."""
    scope: list[ast.stmt] = ast.parse(module.read_text()).body
    for part in dotted.split("."):
        found = None
        for node in scope:
            names = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            if part in names:
                found = node
                break
        if found is None:
            return False
        scope = getattr(found, "body", [])
    return True


def test_every_rule_the_architecture_page_points_to_is_where_it_says() -> None:
    """The "where is the rule for" index names `file:function`, then more names in that file."""
    index = ARCHITECTURE.read_text().split("## Where is the rule for", 1)[1]
    pointed = 0
    missing = []
    for row in (line for line in index.splitlines() if line.startswith("| ") and "`" in line):
        places = re.findall(r"`([^`]+)`", row.rsplit("|", 2)[1])
        path, first = places[0].split(":")
        module = REPO_ROOT / path
        for name in [first, *places[1:]]:
            pointed += 1
            if not module.exists() or not _defines(module, name):
                missing.append(f"{path}:{name}")
    assert pointed > 40
    assert not missing, f"docs/architecture.md points to places that are not there: {missing}"
