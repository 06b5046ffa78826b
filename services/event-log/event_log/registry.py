"""What the event log knows of each service's events, found by importing the services' own code.

The event log keeps no copy of another service's contract, so it cannot drift from it:

* **catalogues** - each service package's catalogue module (``<pkg>.events``,
  ``<pkg>.domain.events``, ``<pkg>.catalogue`` or ``<pkg>.domain.catalogue``). A module may
  define several catalogues (module values, or argument-free functions named ``*catalogue``):
  the one the service writes and bigger ones it reads with (its own events plus other services').
  The service's public contract is the smallest catalogue named for the service.
* **aggregates** - ``<pkg>.replay``: ``AGGREGATES`` maps each stream category the service owns to
  ``(initial state, evolve, catalogue)``, and ``state_to_json(state)`` renders a state as JSON.

A module that exists but fails to import is reported (``problems``), not hidden, and the rest of
the log is still served.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.events import Event, EventCatalogue, UnknownEventType
from shared.services import SERVICES, ServiceSpec

from event_log.jsonable import to_jsonable

log = logging.getLogger(__name__)

CATALOGUE_MODULES = ("events", "domain.events", "catalogue", "domain.catalogue")
REPLAY_MODULE = "replay"


@dataclass(frozen=True)
class ServiceCatalogue:
    service: str
    module: str
    catalogue: EventCatalogue


@dataclass(frozen=True)
class Aggregate:
    """How to fold one stream category: where each stream starts and how each event changes it."""

    category: str
    service: str
    initial: Any
    evolve: Callable[[Any, Event], Any]
    catalogue: EventCatalogue
    state_to_json: Callable[[Any], Any] = to_jsonable


@dataclass
class Registry:
    catalogues: list[ServiceCatalogue] = field(default_factory=list)
    aggregates: dict[str, Aggregate] = field(default_factory=dict)
    problems: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.memo: dict[str, Any] = {}  # what is derived from the code once, e.g. the JSON Schemas
        self._owners: dict[str, ServiceCatalogue] = {}
        self._classes: dict[str, type[Event]] = {}
        for entry in self.catalogues:
            for cls in entry.catalogue.event_classes():
                # The first service to declare a type owns it; a second declaration is reported.
                owner = self._owners.setdefault(cls.event_type, entry)
                self._classes.setdefault(cls.event_type, cls)
                if owner is not entry:
                    self.problems.append(
                        {
                            "service": entry.service,
                            "module": entry.module,
                            "error": f"{cls.event_type} is also declared by {owner.service}",
                        }
                    )

    def owner_of(self, event_type: str) -> ServiceCatalogue | None:
        return self._owners.get(event_type)

    def current_version(self, event_type: str) -> int | None:
        cls = self._classes.get(event_type)
        return cls.schema_version if cls is not None else None

    def upcast(
        self, event_type: str, schema_version: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """The data in the current schema of its type, read through the owner's upcasters
        (unchanged for types no catalogue knows, or with no upcaster from that version)."""
        current = self.current_version(event_type)
        if current is None or schema_version >= current:
            return schema_version, data
        owner = self._owners[event_type]
        try:
            return current, owner.catalogue.upcast(event_type, schema_version, data)
        except UnknownEventType:  # a missing upcaster: the reader gets the data as stored
            log.warning("no upcaster from %s v%s to v%s", event_type, schema_version, current)
            return schema_version, data


def discover(
    services: Sequence[ServiceSpec] = SERVICES,
    *,
    extra_catalogues: Iterable[ServiceCatalogue] = (),
    extra_aggregates: Iterable[Aggregate] = (),
) -> Registry:
    catalogues: list[ServiceCatalogue] = []
    aggregates: dict[str, Aggregate] = {}
    problems: list[dict[str, str]] = []
    for spec in services:
        package = spec.app.split(":")[0].split(".")[0]
        if spec.name == "event-log":
            continue
        found = _service_catalogue(spec.name, package, problems)
        if found is not None:
            catalogues.append(found)
        for aggregate in _service_aggregates(spec.name, package, problems):
            aggregates[aggregate.category] = aggregate
    catalogues.extend(extra_catalogues)
    for aggregate in extra_aggregates:
        aggregates[aggregate.category] = aggregate
    return Registry(catalogues, aggregates, problems)


def _import(name: str, problems: list[dict[str, str]], service: str) -> Any | None:
    try:
        if importlib.util.find_spec(name) is None:
            return None
    except ModuleNotFoundError:  # the package itself is missing
        return None
    try:
        return importlib.import_module(name)
    except Exception as exc:  # a colleague's module mid-change must not take the log down
        log.exception("could not import %s", name)
        problems.append({"service": service, "module": name, "error": f"{type(exc).__name__}: {exc}"})
        return None


def _catalogues_in(module: Any) -> list[EventCatalogue]:
    found: list[EventCatalogue] = []
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if isinstance(value, EventCatalogue):
            found.append(value)
        elif (
            inspect.isfunction(value)
            and value.__module__ == module.__name__
            and name.endswith("catalogue")
            and not any(
                p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                for p in inspect.signature(value).parameters.values()
            )
        ):
            made = value()
            if isinstance(made, EventCatalogue):
                found.append(made)
    return found


def _service_catalogue(service: str, package: str, problems: list[dict[str, str]]) -> ServiceCatalogue | None:
    candidates: list[tuple[int, str, EventCatalogue]] = []
    for suffix in CATALOGUE_MODULES:
        name = f"{package}.{suffix}"
        module = _import(name, problems, service)
        if module is None:
            continue
        for catalogue in _catalogues_in(module):
            if catalogue.service == service:
                candidates.append((len(catalogue.event_classes()), name, catalogue))
    if not candidates:
        return None
    size, module_name, catalogue = min(candidates, key=lambda c: c[0])
    return ServiceCatalogue(service, module_name, catalogue)


def _service_aggregates(service: str, package: str, problems: list[dict[str, str]]) -> list[Aggregate]:
    name = f"{package}.{REPLAY_MODULE}"
    module = _import(name, problems, service)
    if module is None:
        return []
    table = getattr(module, "AGGREGATES", None)
    if not isinstance(table, Mapping):
        problems.append({"service": service, "module": name, "error": "AGGREGATES is not a mapping"})
        return []
    default_to_json = getattr(module, "state_to_json", to_jsonable)
    aggregates = []
    for category, entry in table.items():
        try:
            aggregates.append(aggregate_from(service, str(category), entry, default_to_json))
        except (TypeError, ValueError) as exc:
            problems.append({"service": service, "module": name, "error": f"{category}: {exc}"})
    return aggregates


def aggregate_from(
    service: str, category: str, entry: Any, state_to_json: Callable[[Any], Any] = to_jsonable
) -> Aggregate:
    """An ``AGGREGATES`` value: a tuple ``(initial, evolve, catalogue[, state_to_json])`` or an
    object with those attributes."""
    if isinstance(entry, tuple | list):
        if len(entry) not in (3, 4):
            raise ValueError("expected (initial state, evolve, catalogue[, state_to_json])")
        initial, evolve, catalogue = entry[:3]
        to_json = entry[3] if len(entry) == 4 else state_to_json
    else:
        initial = entry.initial
        evolve = entry.evolve
        catalogue = entry.catalogue
        to_json = getattr(entry, "state_to_json", state_to_json)
    if not callable(evolve) or not isinstance(catalogue, EventCatalogue):
        raise TypeError("evolve must be callable and catalogue an EventCatalogue")
    return Aggregate(category, service, initial, evolve, catalogue, to_json)
