"""Fixtures for the schools API tests: the app on a fresh database, the callers, and helpers that
register, inspect and categorise schools."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from schools.main import create_app

from shared.testing.fixtures import settle

OAK_TREE = {
    "urn": "118234",
    "name": "Oak Tree Primary School",
    "la_code": "886",
    "la_name": "Kent",
    "establishment_type": "voluntary_aided",
    "phase": "primary",
    "religious_character": "Roman Catholic",
    "diocese": "Archdiocese of Southwark",
    "opened_on": "1974-09-01",
    "headteacher": "Mrs A Patel",
}


@pytest.fixture
async def client(service_client) -> AsyncIterator[httpx.AsyncClient]:
    async with service_client(create_app) as running:
        yield running


@pytest.fixture
def principal_adviser(auth) -> dict[str, str]:
    return auth("principal_adviser", sub="pa.okafor")


@pytest.fixture
def second_principal_adviser(auth) -> dict[str, str]:
    return auth("principal_adviser", sub="pa.wright")


@pytest.fixture
def adviser(auth) -> dict[str, str]:
    return auth("school_improvement_adviser", sub="sia.khan")


@pytest.fixture
def auditor(auth) -> dict[str, str]:
    return auth("auditor", sub="auditor.lee")


@pytest.fixture
def register(client, principal_adviser) -> Callable[..., Awaitable[dict[str, Any]]]:
    """``await register("118235", name=..., phase=...)``: a school on the register."""

    async def make(urn: str = OAK_TREE["urn"], **changes: Any) -> dict[str, Any]:
        response = await client.post(
            "/schools", json={**OAK_TREE, "urn": urn, **changes}, headers=principal_adviser
        )
        assert response.status_code == 201, response.text
        return response.json()

    return make


@pytest.fixture
def settled(client) -> Callable[[], Awaitable[None]]:
    """Wait until the policies have reacted and every read model has caught up."""

    async def wait() -> None:
        for _ in range(2):  # a policy's own appends are read by the read models on the next pass
            await settle(client.app)

    return wait


@pytest.fixture
def head(client) -> Callable[[], Awaitable[int]]:
    """The log's last position: unchanged after a refused request."""

    async def position() -> int:
        return await client.app.state.store.head_position()

    return position


def graded_inspection(inspection_id: str, inspected_on: str, grade: str, **changes: Any) -> dict[str, Any]:
    """A graded inspection under the September 2012 framework with the 2019 key judgements, all
    at ``grade``."""
    return {
        "inspection_id": inspection_id,
        "inspected_on": inspected_on,
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
        **changes,
    }


@pytest.fixture
def categorise(client, adviser, second_principal_adviser):
    """``await categorise(urn, "requires_improvement")``: proposed by an adviser, approved by a
    principal adviser."""

    async def make(urn: str, category: str, reasons: list[str] | None = None) -> dict[str, Any]:
        proposed = await client.post(
            f"/schools/{urn}/categorisation/proposals",
            json={"category": category, "reasons": reasons or ["latest inspection and results"]},
            headers=adviser,
        )
        assert proposed.status_code == 201, proposed.text
        proposal_id = proposed.json()["pending_proposal"]["proposal_id"]
        approved = await client.post(
            f"/schools/{urn}/categorisation/proposals/{proposal_id}/approval",
            headers=second_principal_adviser,
        )
        assert approved.status_code == 200, approved.text
        return approved.json()

    return make


@pytest.fixture
def stream(client):
    """``await stream("support-118234")``: the event types of a stream, in order."""

    async def read(stream_id: str) -> list[str]:
        return [r.event_type for r in await client.app.state.store.read_stream(stream_id)]

    return read


@pytest.fixture
def oak_tree() -> dict[str, Any]:
    """The register details of the school most tests use."""
    return dict(OAK_TREE)


@pytest.fixture
def graded() -> Callable[..., dict[str, Any]]:
    """``graded("10001", "2019-10-01", "good")``: the body of a graded inspection."""
    return graded_inspection


@pytest.fixture
async def council(client, register, categorise, adviser, graded, settled):
    """Four open schools and a closed one:

    * Oak Tree (primary, voluntary aided): good, categorised good, one day of support used;
    * Beech (primary, community): requires improvement twice running (stuck), categorised RI;
    * Cedar (secondary, foundation): inadequate, special measures, categorised ofsted_category;
    * Elm (secondary, community): not inspected, below the 2011 floor;
    * Fir (primary, community): closed.
    """
    await register("118234")
    await register(
        "118235",
        name="Beech Primary School",
        establishment_type="community",
        religious_character=None,
        diocese=None,
    )
    await register(
        "118236",
        name="Cedar School",
        establishment_type="foundation",
        phase="secondary",
        religious_character=None,
        diocese=None,
    )
    await register(
        "118237",
        name="Elm Secondary School",
        establishment_type="community",
        phase="secondary",
        religious_character=None,
        diocese=None,
    )
    await register(
        "118238",
        name="Fir Primary School",
        establishment_type="community",
        status="closed",
        closed_on="2020-08-31",
        religious_character=None,
        diocese=None,
    )

    async def inspect(urn: str, *bodies: dict) -> None:
        for body in bodies:
            response = await client.post(f"/schools/{urn}/inspections", json=body, headers=adviser)
            assert response.status_code == 201, response.text

    await inspect("118234", graded("20001", "2019-10-01", "good"))
    await inspect(
        "118235",
        graded("20002", "2019-11-01", "requires_improvement"),
        graded("20003", "2022-06-01", "requires_improvement"),
    )
    await inspect(
        "118236", graded("20004", "2023-03-01", "inadequate", category_of_concern="special_measures")
    )
    results = await client.post(
        "/schools/118237/results",
        json={
            "year": 2011,
            "key_stage": "ks2",
            "published_on": "2011-12-10",
            "measures": {
                "pct_level4_english_and_maths": 51,
                "pct_expected_progress_english": 80,
                "pct_expected_progress_maths": 79,
            },
        },
        headers=adviser,
    )
    assert results.json()["below_floor"] is True
    await categorise("118234", "good")
    await categorise("118235", "requires_improvement")
    await categorise("118236", "ofsted_category")
    await settled()
    visit = await client.post(
        "/schools/118234/support/visits",
        json={"visited_on": "2026-10-20", "days": 1, "purpose": "Annual conversation"},
        headers=adviser,
    )
    assert visit.status_code == 201, visit.text
    await settled()
