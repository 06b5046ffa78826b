"""What every answer showing a child's record does once it has the record."""

from __future__ import annotations

from fastapi import Request, Response

from shared.web.audit import record_child_read
from shared.web.commands import etag


async def answered_read(request: Request, response: Response, child_id: str, version: int) -> None:
    """The read is recorded for auditors (only now: after the scope check, and once what was asked
    for was found) and the answer carries the version shown as its ETag."""
    await record_child_read(request, child_id)
    response.headers["ETag"] = etag(version)
