"""The operator command run the way an operator runs it - ``main(argv)``, its output and exit
code - and the schools service running in-process on a real database for it to act on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from shared.ops.command import main
from shared.testing.fixtures import settle


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def run_ops(capsys) -> Callable[..., Any]:
    """``await ops("lag", "--database-url", url)``: the command, in a thread of its own with its
    own event loop, as a separate process would run it beside the service."""

    async def run(*argv: str) -> Ran:
        capsys.readouterr()
        code = await asyncio.to_thread(main, list(argv))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run


OAK_TREE = {
    "urn": "118234",
    "name": "Oak Tree Primary School",
    "la_code": "886",
    "la_name": "Kent",
    "establishment_type": "community",
    "phase": "primary",
    "opened_on": "1974-09-01",
    "headteacher": "Mrs A Patel",
}


class Schools:
    """The schools service, running, and the officers who record things in it."""

    def __init__(self, client: httpx.AsyncClient, auth) -> None:
        self.client = client
        self.app = client.app  # type: ignore[attr-defined]
        self.pool: asyncpg.Pool = self.app.state.pool
        self._principal = auth("principal_adviser", sub="pa.okafor")
        self._second = auth("principal_adviser", sub="pa.wright")
        self._adviser = auth("school_improvement_adviser", sub="sia.khan")

    async def register(self, urn: str, name: str) -> None:
        answer = await self.client.post(
            "/schools", json={**OAK_TREE, "urn": urn, "name": name}, headers=self._principal
        )
        assert answer.status_code == 201, answer.text

    async def inspect(self, urn: str, inspection_id: str, grade: str) -> None:
        body = {
            "inspection_id": inspection_id,
            "inspected_on": "2023-10-01",
            "inspection_type": "graded",
            "framework": "ofsted_september_2012",
            "overall_effectiveness": grade,
            "judgements": {
                "quality_of_education": grade,
                "behaviour_and_attitudes": grade,
                "personal_development": grade,
                "leadership_and_management": grade,
            },
            "safeguarding": "effective",
        }
        answer = await self.client.post(f"/schools/{urn}/inspections", json=body, headers=self._adviser)
        assert answer.status_code == 201, answer.text

    async def categorise(self, urn: str, category: str) -> None:
        """Proposed and approved: the service's policies then allocate support and schedule a review."""
        proposed = await self.client.post(
            f"/schools/{urn}/categorisation/proposals",
            json={"category": category, "reasons": ["latest inspection"]},
            headers=self._adviser,
        )
        assert proposed.status_code == 201, proposed.text
        proposal_id = proposed.json()["pending_proposal"]["proposal_id"]
        approved = await self.client.post(
            f"/schools/{urn}/categorisation/proposals/{proposal_id}/approval", headers=self._second
        )
        assert approved.status_code == 200, approved.text

    async def visit(self, urn: str) -> None:
        answer = await self.client.post(
            f"/schools/{urn}/support/visits",
            json={"visited_on": "2026-10-20", "days": 1, "purpose": "Annual conversation"},
            headers=self._adviser,
        )
        assert answer.status_code == 201, answer.text

    async def settled(self, *, except_for: str | None = None) -> None:
        """Every subscription (but ``except_for``) has applied the log, the policies' own appends included."""
        for _ in range(2):
            if except_for is None:
                await settle(self.app)
            else:
                for subscription in self.app.state.subscriptions:
                    if subscription.name != except_for:
                        await subscription.catch_up()

    async def head(self) -> int:
        return await self.app.state.store.head_position()

    async def council(self) -> None:
        """Three schools, inspected; two categorised (so supported and with reviews), one visited."""
        await self.register("118234", "Oak Tree Primary School")
        await self.register("118235", "Beech Primary School")
        await self.register("118236", "Cedar Primary School")
        await self.inspect("118234", "20001", "good")
        await self.inspect("118235", "20002", "requires_improvement")
        await self.categorise("118234", "good")
        await self.categorise("118235", "requires_improvement")
        await self.settled()
        await self.visit("118234")
        await self.settled()


async def tables(pool: asyncpg.Pool, schema: str, names) -> dict[str, list[tuple]]:
    """Every row of each table, in an order that does not depend on how they were written."""
    found = {}
    for table in names:
        rows = await pool.fetch(f'SELECT * FROM "{schema}"."{table}"')
        found[table] = sorted((tuple(row.values()) for row in rows), key=repr)
    return found
