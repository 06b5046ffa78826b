"""The event catalogue: every event type of every service, its schema version and JSON Schema.

Built from the services' own ``EventCatalogue``s and event classes (pydantic's
``model_json_schema``), so the published catalogue is the code and cannot drift from it.
"""

from __future__ import annotations

import inspect
from typing import Any

from shared.events import Event

from event_log.registry import Registry


def description_of(cls: type[Event]) -> str:
    """The class's own docstring (not one inherited from a base class)."""
    doc = cls.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if doc else ""


def event_entry(service: str, cls: type[Event]) -> dict[str, Any]:
    return {
        "type": cls.event_type,
        "schema_version": cls.schema_version,
        "service": service,
        "description": description_of(cls),
        "json_schema": cls.model_json_schema(),
    }


def catalogue(registry: Registry) -> dict[str, Any]:
    """Built once per registry: the code it describes does not change while the service runs."""
    if "catalogue" not in registry.memo:
        registry.memo["catalogue"] = _build(registry)
    return registry.memo["catalogue"]


def _build(registry: Registry) -> dict[str, Any]:
    services = []
    for entry in registry.catalogues:
        classes = sorted(entry.catalogue.event_classes(), key=lambda c: c.event_type)
        services.append(
            {
                "service": entry.service,
                "module": entry.module,
                "stream_categories": sorted(
                    a.category for a in registry.aggregates.values() if a.service == entry.service
                ),
                "events": [event_entry(entry.service, cls) for cls in classes],
            }
        )
    return {"services": services, "problems": list(registry.problems)}


def find_event(registry: Registry, event_type: str) -> dict[str, Any] | None:
    owner = registry.owner_of(event_type)
    if owner is None:
        return None
    cls = next(c for c in owner.catalogue.event_classes() if c.event_type == event_type)
    return event_entry(owner.service, cls)
