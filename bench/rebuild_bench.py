"""Rebuilding each read model from a log of the services' own events, with the operator's rebuild
(shared/ops/rebuilding.py ``rebuild_and_record``, as ``python -m shared.ops rebuild`` runs it).

The log is the events the services recorded while the council was set up and measured, copied
until it holds the size asked for: each copy names its schools, children, notices and requests
anew (so the read models see more schools and more children, as a larger council's would), keeps
each event's personal fields sealed (for the copy's own children), and keeps the order of the
original log. The council's settings (its calendar and policies) are set by the first copy only.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg

from bench.figures import Table, Verdicts, at_least, cell, number

REBUILD_TARGET = at_least(20_000, "≥ 20,000 events/s")
APPEND_AT_MOST = 1000
COUNCIL_WIDE = "-council"  # the streams of the council's settings: one council per deployment
URN = re.compile(r"^\d{6,7}$")
SHARED = re.compile(r"^\d{4}(-\d{2})?$")
# A word of text an identifier may be, or end, e.g. "PPR-1A2B3C4D5E", "child-S2b8c6f88".
TOKEN = re.compile(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*")
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


async def templates(source_url: str) -> list[Any]:
    """Every event of the source log, its personal fields opened."""
    from shared.eventlog.store import EventStore, init_connection

    pool = await asyncpg.create_pool(source_url, min_size=1, max_size=2, init=init_connection)
    try:
        store = EventStore(pool)
        found, after = [], 0
        while page := await store.read_all(after=after, limit=5000):
            found += page
            after = page[-1].position
        return found
    finally:
        await pool.close()


class Renamer:
    """One copy's new names: each identifier of the original council maps to one of the copy's."""

    def __init__(self, records: list[Any]) -> None:
        ids = {r.stream_id.split("-", 1)[1] for r in records if "-" in r.stream_id}
        for r in records:
            ids.update(s.split(":", 1)[1] for s in r.subjects if ":" in s)
        self.urns = sorted(i for i in ids if URN.match(i))
        for r in records:
            # Items named only inside an event (a PP+ request, project or payment run in the
            # year's budget, which every copy shares) are renamed too: each copy's are its own.
            ids.update(_named_ids(r.data))
        # A child, a PEP, a request...: never a financial year, a year or a setting's name, whose
        # streams (the year's budget, the council calendar) every copy shares, as a larger council would.
        self.others = {i for i in ids if not URN.match(i) and not UUID_TEXT.fullmatch(i) and len(i) >= 5
                       and any(c.isdigit() for c in i) and not SHARED.match(i)}
        # A URN is renamed wherever it is written, so identifiers made from it (an inspection's,
        # "9" and the URN) are the copy's own too.
        self._urns = re.compile("(" + "|".join(sorted(self.urns, key=len, reverse=True)) + ")") if self.urns else None
        self._stride = len(self.urns) + 1

    def for_copy(self, copy: int) -> Callable[[str], str]:
        urn_of = {u: str(300000 + copy * self._stride + i) for i, u in enumerate(self.urns)}

        def rename(text: str) -> str:
            text = UUID_TEXT.sub(lambda m: str(uuid.uuid5(uuid.NAMESPACE_OID, f"{copy}:{m.group(0)}")), text)
            if self._urns is not None:
                text = self._urns.sub(lambda m: urn_of[m.group(1)], text)
            if self.others:
                text = TOKEN.sub(lambda m: self._other_renamed(m.group(0), copy), text)
            return text

        return rename

    def _other_renamed(self, token: str, copy: int) -> str:
        """A token of text as the copy names it: an identifier, one after a stream's category
        (``child-<id>``) or one before a dash, renamed; anything else as it is."""
        if token in self.others:
            return f"{token}c{copy}"
        dashes = [i for i, char in enumerate(token) if char == "-"]
        for dash in dashes:
            if token[dash + 1 :] in self.others:
                return f"{token}c{copy}"
        for dash in reversed(dashes):  # an identifier a longer one is made from ("<child>-P1")
            if token[:dash] in self.others:
                return f"{token[:dash]}c{copy}{token[dash:]}"
        return token


def _named_ids(value: Any) -> set[str]:
    """Every identifier an event's data names (fields called ``..._id``), however deep."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("_id") and isinstance(item, str):
                found.add(item)
            else:
                found |= _named_ids(item)
    elif isinstance(value, list):
        for item in value:
            found |= _named_ids(item)
    return found


def _renamed(value: Any, rename: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return rename(value)
    if isinstance(value, dict):
        return {k: _renamed(v, rename) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, rename) for v in value]
    return value


async def fill(target_url: str, records: list[Any], events: int) -> int:
    """Copies of ``records`` appended through the project's own store until the log holds
    ``events`` events. Returns how many it holds."""
    from shared.eventlog import NewEvent
    from shared.eventlog.records import StreamAppend
    from shared.eventlog.store import EventStore, init_connection

    renamer = Renamer(records)
    pool = await asyncpg.create_pool(target_url, min_size=1, max_size=4, init=init_connection)
    store = EventStore(pool)
    store.start()
    written = 0
    try:
        run: dict[str, list] = {}  # the events of the next append, by stream, in log order

        async def flush() -> None:
            nonlocal written
            if run:
                await store.append_streams([StreamAppend(s, tuple(e)) for s, e in run.items()])
                written += sum(len(e) for e in run.values())
                run.clear()

        copy = 0
        while written < events:
            copy += 1
            rename = renamer.for_copy(copy)

            for r in records:
                if written + sum(len(e) for e in run.values()) >= events:
                    break
                if copy > 1 and r.stream_id.endswith(COUNCIL_WIDE):
                    # The council's own settings (its calendar, its PEP and PP+ policies) are set
                    # once, however large the council: each copy adds schools and children, not
                    # another council's term dates.
                    continue
                stream = rename(r.stream_id)
                # A stream appears once in an append: a second event of it starts the next one, so
                # the copy keeps the original's order exactly.
                if (stream in run and next(reversed(run)) != stream) or sum(map(len, run.values())) >= APPEND_AT_MOST:
                    await flush()
                subjects = tuple(rename(s) for s in r.subjects)
                personal = tuple(r.sealed) if r.sealed else ()
                run.setdefault(stream, []).append(NewEvent(
                    event_type=r.event_type, data=_renamed(r.data, rename), effective_date=r.effective_date,
                    schema_version=r.schema_version, subjects=subjects, personal=personal,
                    data_subject=next((s for s in subjects if s.startswith("child:")), None) if personal else None,
                ))
            await flush()
        return written
    finally:
        await store.close()
        await pool.close()


class _Counted:
    """A read model as it is, noting how far through the log its rebuild has gone."""

    def __init__(self, projection: Any) -> None:
        self._projection = projection
        self.position = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._projection, name)

    async def apply(self, conn: asyncpg.Connection, event: Any) -> None:
        await self._projection.apply(conn, event)
        self.position = event.position

    def __getattribute__(self, name: str) -> Any:
        # A read model that takes batches is given them (the subscription looks for apply_batch):
        # each batch, once applied, moves the count on too.
        if name == "apply_batch":
            inner = getattr(object.__getattribute__(self, "_projection"), "apply_batch", None)
            if inner is None:
                raise AttributeError(name)

            async def apply_batch(conn: asyncpg.Connection, events: Any) -> None:
                await inner(conn, events)
                if events:
                    self.position = events[-1].position

            return apply_batch
        return object.__getattribute__(self, name)


@dataclass(frozen=True)
class Rebuilt:
    service: str
    read_model: str
    events: int  # replayed, or reached when the time allowed ran out
    seconds: float
    finished: bool
    parked: int

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


async def rebuild_all(url: str, allowed_seconds: float, *, only: str | None = None,
                      profiler: Any = None) -> list[Rebuilt]:
    from shared.ops.rebuilding import rebuild_and_record
    from shared.ops.service_app import service_parts
    from shared.services import SERVICES

    done = []
    for spec in SERVICES:
        if spec.schema is None:
            continue
        async with service_parts(spec, url) as parts:
            for projection in parts.read_models:
                if only is not None and f"{spec.name} {projection.name}" != only:
                    continue
                counted = _Counted(projection)
                started = time.perf_counter()
                if profiler is not None:
                    profiler.enable()
                try:
                    rebuilt = await asyncio.wait_for(
                        rebuild_and_record(parts.pool, spec, counted, actor="the benchmark",
                                           reason="measuring how fast a read model is rebuilt"),
                        timeout=allowed_seconds,
                    )
                    result = Rebuilt(spec.name, projection.name, rebuilt.events_replayed,
                                     time.perf_counter() - started, True, rebuilt.events_parked)
                except TimeoutError:
                    # Cut short, the transaction rolled back: how far it got in the time allowed.
                    result = Rebuilt(spec.name, projection.name, counted.position,
                                     time.perf_counter() - started, False, 0)
                finally:
                    if profiler is not None:
                        profiler.disable()
                done.append(result)
                print(f"  rebuild {spec.name:<14} {projection.name:<28} {result.events:>9,} events "
                      f"{result.seconds:7.1f} s {result.rate:>9,.0f}/s"
                      + ("" if result.finished else "  (cut short)"), flush=True)
    return done


def table(rebuilt: list[Rebuilt], log_events: int, allowed: float, verdicts: Verdicts) -> str:
    t = Table(["service", "read model", "events replayed", "seconds", "events/s", "parked"])
    for r in rebuilt:
        verdicts.judge(f"rebuild {r.service} {r.read_model}", REBUILD_TARGET, r.rate)
        events = f"{r.events:,}" + ("" if r.finished else f" of {log_events:,} (cut short at {allowed:g} s)")
        t.add(r.service, r.read_model, events, f"{r.seconds:.1f}", cell(number(r.rate), REBUILD_TARGET, r.rate),
              str(r.parked))
    return t.markdown()
