"""What the routes share: the log, path parameters, and the ETag and status of a write's answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request, Response
from schools.handlers.log import SchoolsLog
from shared.web.commands import Outcome

def get_log(request: Request) -> SchoolsLog:
    return SchoolsLog(request.app.state.store, request.app.state.catalogue)


LogDep = Annotated[SchoolsLog, Depends(get_log)]


Identifier = Annotated[str, Path(pattern=r"^[A-Za-z0-9._:-]{1,64}$", description="an identifier")]


def answered(response: Response, outcome: Outcome, *, created: bool = False) -> None:
    """Set the ETag (the stream's version, for If-Match on the next write) and the status: 201
    when something new was recorded, 200 when the request changed nothing."""
    response.headers["ETag"] = outcome.etag
    response.status_code = 201 if created and outcome.recorded else 200


def recorded_types(outcome: Outcome) -> list[str]:
    return [r.event_type for r in outcome.recorded]
