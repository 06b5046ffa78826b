"""What the routes share: the registry, the watcher, common parameters and read auditing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Path, Query, Request

from shared.errors import InvalidInput
from shared.eventlog.records import RecordedEvent

from event_log.follow import LogWatcher
from event_log.registry import Registry

CHILD_SUBJECT = "child:"
STREAM_ID = re.compile(r"^[A-Za-z0-9_]+-[^\s/]{1,200}$")


def get_registry(request: Request) -> Registry:
    return request.app.state.registry


def get_watcher(request: Request) -> LogWatcher:
    return request.app.state.log_watcher


RegistryDep = Annotated[Registry, Depends(get_registry)]
WatcherDep = Annotated[LogWatcher, Depends(get_watcher)]

ChildId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="the council's identifier of the child")
]
After = Annotated[int, Query(ge=0, description="return events after this global position")]
Limit = Annotated[int, Query(ge=1, le=1000, description="the most events in one page")]
EventTypes = Annotated[list[str], Query(alias="type", max_length=50, description="only these event types")]
Categories = Annotated[
    list[str], Query(alias="category", max_length=50, description="only streams of these categories")
]
Subject = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=r"^[a-z]+:.+$",
        description="only events concerning `child:<id>` or `school:<urn>`",
    ),
]
Upcast = Annotated[
    bool,
    Query(
        description="give each event's data in the current schema of its type (read through upcasters) "
        "instead of as stored; stored data is what the hash covers"
    ),
]


def check_stream_id(stream_id: str) -> str:
    if not STREAM_ID.match(stream_id):
        raise InvalidInput("a stream id is <category>-<id>, e.g. school-100001", field="stream_id")
    return stream_id


def event_json(event: RecordedEvent, registry: Registry, *, upcast: bool = False) -> dict:
    body = event.to_json()
    if upcast:
        version, data = registry.upcast(event.event_type, event.schema_version, event.data)
        body["stored_schema_version"] = event.schema_version
        body["schema_version"] = version
        body["data"] = data
    return body


def children_in(events: Iterable[RecordedEvent]) -> list[str]:
    seen: dict[str, None] = {}
    for event in events:
        for subject in event.subjects:
            if subject.startswith(CHILD_SUBJECT):
                seen.setdefault(subject[len(CHILD_SUBJECT) :], None)
    return list(seen)


def child_of(subject: str | None) -> str | None:
    if subject is not None and subject.startswith(CHILD_SUBJECT):
        return subject[len(CHILD_SUBJECT) :]
    return None
