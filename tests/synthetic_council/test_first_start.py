"""The run command's first start: an empty log gets a council, built through the services'
commands, and the README's example call then returns children; a log with events is left alone."""

from __future__ import annotations

import asyncio

from pep.main import create_app

from shared.devserver import load_first_council
from synthetic_council.running import events_in


async def test_a_first_start_builds_a_council_whose_roll_the_readme_call_returns_once_only(
    database_url, signing_keys, service_client, auth, capsys
):
    assert await events_in(database_url) == 0
    assert await asyncio.to_thread(load_first_council, database_url, {}, "tiny", signing_keys)
    built = await events_in(database_url)
    assert built > 0
    assert "the tiny council is built" in capsys.readouterr().out

    async with service_client(create_app) as client:
        roll = await client.get("/virtual-school/roll", headers=auth("virtual_school_head", sub="alice"))
    assert roll.status_code == 200, roll.text
    assert roll.json()["items"], "the roll of the council just built is empty"

    # A second start finds events in the log and builds nothing more.
    assert await asyncio.to_thread(load_first_council, database_url, {}, "tiny", signing_keys)
    assert await events_in(database_url) == built
    assert "building" not in capsys.readouterr().out
