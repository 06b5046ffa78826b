"""A body that is one of several shapes told apart by a field (a discriminated union: an
inspection by its ``framework``, a devolution policy by its ``model``) is refused, like any other,
with 422 problem details naming the field as the caller wrote it, in plain English: never the
name of the shape pydantic tried (``ofsted_september_2012.judgements...``)."""

from __future__ import annotations

from typing import Annotated, Literal, Union

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field, RootModel

from shared.web.problems import install_problem_handlers


class Cat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["cat"]
    lives: int = 9
    mood: Literal["purring", "hissing"] | None = None


class Dog(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["dog"]
    tricks: list[Literal["sit", "roll_over"]] = []
    owner: None = None


Pet = Annotated[Union[Cat, Dog], Field(discriminator="kind")]  # noqa: UP007


class PetBody(RootModel[Pet]):
    pass


class Household(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pets: list[Pet] = []
    first: Pet | None = None


def app() -> FastAPI:
    api = FastAPI()
    install_problem_handlers(api)

    @api.post("/pet")
    async def pet(body: PetBody) -> dict:
        return {}

    @api.post("/household")
    async def household(body: Household) -> dict:
        return {}

    return api


async def refused(path: str, body: object) -> dict:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://test") as client:
        response = await client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        ("/pet", {"kind": "cat", "mood": "asleep"}, "mood", "mood must be one of 'purring' or 'hissing'"),
        ("/pet", {"kind": "cat", "lives": "many"}, "lives", "lives must be a whole number"),
        ("/pet", {"kind": "dog", "tricks": ["fetch"]}, "tricks.0", "tricks.0 must be one of 'sit' or 'roll_over'"),
        ("/pet", {"kind": "dog", "wings": 2}, "wings", "wings is not a field this request takes"),
        ("/pet", {"kind": "dog", "owner": "Sam"}, "owner", "owner must be left out (or null)"),
        ("/pet", {"kind": "parrot"}, "kind", "kind must be one of 'cat' or 'dog'"),
        ("/pet", {"lives": 3}, "kind", "kind is required"),
        ("/pet", ["cat"], "body", "the body must be a JSON object"),
        ("/household", {"pets": [{"kind": "dog"}, {"kind": "cat", "mood": 1}]}, "pets.1.mood", None),
        ("/household", {"first": {"kind": "dog", "tricks": ["beg"]}}, "first.tricks.0", None),
        ("/household", {"pets": [{"kind": "ferret"}]}, "pets.0.kind", "pets.0.kind must be one of 'cat' or 'dog'"),
        ("/household", {"first": {}}, "first.kind", "first.kind is required"),
    ],
)
async def test_a_refused_member_of_a_union_is_named_as_the_caller_wrote_it(path, body, field, message):
    problem = await refused(path, body)

    assert problem["field"] == field
    assert problem["errors"][0]["field"] == field
    if message is not None:
        assert problem["detail"] == message
    for tag in ("cat", "dog"):
        assert not field.startswith(f"{tag}.") and f".{tag}." not in field
