"""Subject access: everything held about a child, for the council to answer a subject access
request (UK GDPR Article 15) — as JSON, or as a printable document to send to the requester."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from shared.web.audit import record_child_read

from event_log.access import SubjectAccessReader
from event_log.api.schemas import ChildId, SubjectAccessReport
from event_log.queries.subject_access import child_history, reads_of_record, subject_access_report
from event_log.queries.subject_access_document import subject_access_document
from event_log.wiring import EventLogDep

router = APIRouter(prefix="/privacy", tags=["privacy"])

HTML = "text/html"
JSON = "application/json"
DOCUMENT = {
    200: {
        "description": "The report: JSON by default; with `Accept: text/html`, a self-contained HTML "
        "document to print or send to the requester",
        "content": {HTML: {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/children/{child_id}/subject-access",
    response_model=SubjectAccessReport,
    responses=DOCUMENT,
    summary="Everything held about a child, for a subject access request (UK GDPR Article 15)",
)
async def subject_access(
    child_id: ChildId, request: Request, principal: SubjectAccessReader, log: EventLogDep
) -> Response:
    """Every event about the child from every service (opened; erased personal fields null and
    named), the records each service holds (as `/children/{child_id}/state` folds them), every
    read of the child's record (by a person, and each bulk read that included the child),
    notifications, and the child's legal holds and erasure. Complete, not paged. Producing it is
    itself a read of the child's record, recorded before the answer (and listed in it)."""
    history = await child_history(log.pool, log.registry, child_id)
    await record_child_read(request, child_id)
    reads = await reads_of_record(log.pool, child_id)
    report = SubjectAccessReport.model_validate(
        subject_access_report(
            history,
            reads,
            produced_at=log.clock.now(),
            produced_by=principal.subject,
            role=principal.role.value,
        )
    ).model_dump(mode="json")
    # The same address answers in two forms: a cache must keep them apart.
    vary = {"Vary": "Accept"}
    if prefers_html(request.headers.get("accept", "")):
        return HTMLResponse(subject_access_document(report), headers=vary)
    return JSONResponse(report, headers=vary)


def prefers_html(accept: str) -> bool:
    """Whether the caller would rather have HTML than JSON (a browser would; a caller sending
    nothing, or ``*/*``, gets JSON)."""
    weights: dict[str, float] = {}
    for offered in accept.split(","):
        media, *parameters = (part.strip() for part in offered.split(";"))
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[media.lower()] = weight
    html = weights.get(HTML, weights.get("text/*", 0.0))
    json = weights.get(JSON, weights.get("application/*", weights.get("*/*", 0.0)))
    return html > 0 and html > json
