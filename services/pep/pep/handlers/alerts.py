"""The virtual school acknowledges an alert about a child's school, then records what it did."""

from __future__ import annotations

from shared.errors import NotFound
from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pep.domain import school_concerns
from pep.domain.streams import school_concern_stream
from pep.wiring import Pep


def stream_of_alert(alert_id: str) -> str:
    """Alert ids are ``<source event id>:<child id>``; the source event names the stream."""
    source_event_id, separator, child_id = alert_id.partition(":")
    if not separator or not source_event_id or not child_id:
        raise NotFound(f"no alert {alert_id!r}", field="alert_id")
    return school_concern_stream(source_event_id)


async def record(
    pep: Pep, ctx: CommandContext, command: school_concerns.AlertCommand, operation: str
) -> Outcome[school_concerns.ConcernAlertsState]:
    return await pep.log.execute(
        ctx,
        stream_of_alert(command.alert_id),
        initial=school_concerns.NO_ALERTS,
        evolve=school_concerns.evolve,
        decide=lambda state: school_concerns.decide(command, state),
        operation=f"{operation}:{command.alert_id}",
    )
