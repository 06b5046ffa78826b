"""Every read of a child's record by a person is itself recorded, for auditors.

The row is written on the request's own pooled connection with one small INSERT, which costs a
fraction of a millisecond next to the read it records. Reads by service accounts are not
personal access and are covered by the event feed's own logs instead.
"""

from __future__ import annotations

from fastapi import Request

from shared.events import child_subject


async def record_child_read(request: Request, child_id: str) -> None:
    principal = getattr(request.state, "principal", None)
    if principal is None or not principal.is_person:
        return
    route = request.scope.get("route")
    await request.app.state.pool.execute(
        "INSERT INTO eventlog.record_reads (read_at, actor, role, service, subject, route, request_id) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        request.app.state.clock.now(),
        principal.subject,
        principal.role.value,
        request.app.state.service_name,
        child_subject(child_id),
        f"{request.method} {getattr(route, 'path', request.url.path)}",
        getattr(request.state, "request_id", None),
    )
