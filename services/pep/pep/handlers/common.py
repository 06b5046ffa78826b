"""What every handler does: fold a stream, and run a command (``shared.web.commands.execute``: a
retried request with the same Idempotency-Key gets the first answer back without deciding again)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from shared.eventlog.records import RecordedEvent
from shared.eventlog.store import EventStore
from shared.events import Event, EventCatalogue
from shared.web.commands import Loaded, execute, load
from shared.web.context import CommandContext

from pep.domain import children, council_config, peps
from pep.domain.streams import child_stream, council_config_stream, pep_stream

S = TypeVar("S")


@dataclass(frozen=True)
class CommandResult:
    stream_id: str
    version: int
    recorded: list[RecordedEvent]

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


async def load_config(store: EventStore, catalogue: EventCatalogue) -> council_config.CouncilConfig:
    loaded = await load(
        store, catalogue, council_config_stream(), council_config.NO_CONFIG, council_config.evolve
    )
    return loaded.state


async def load_child(
    store: EventStore, catalogue: EventCatalogue, child_id: str
) -> Loaded[children.ChildState]:
    return await load(store, catalogue, child_stream(child_id), children.NO_CHILD, children.evolve)


async def load_peps(store: EventStore, catalogue: EventCatalogue, child_id: str) -> Loaded[peps.PepState]:
    return await load(store, catalogue, pep_stream(child_id), peps.NO_PEPS, peps.evolve)


async def run_command(
    store: EventStore,
    catalogue: EventCatalogue,
    ctx: CommandContext,
    stream_id: str,
    *,
    initial: S,
    evolve: Callable[[S, Event], S],
    decide: Callable[[S], Sequence[Event]],
    operation: str,
) -> CommandResult:
    outcome = await execute(
        store, catalogue, ctx, stream_id, initial=initial, evolve=evolve, decide=decide, operation=operation
    )
    return CommandResult(stream_id, outcome.version, outcome.recorded)
