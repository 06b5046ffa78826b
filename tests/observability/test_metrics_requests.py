"""Requests are counted by route template, never by the path asked for: no child's id and no
school's URN ever reaches a metric."""

from __future__ import annotations

import sys
from pathlib import Path

from shared.testing.fixtures import settle

sys.path.insert(0, str(Path(__file__).parent))
from metrics_support import scrape  # noqa: E402

CHILD_ID = "CHILD-QX7Z"
URN = "987654"
SCHOOL = {
    "urn": URN,
    "name": "Oak Tree Primary School",
    "la_code": "886",
    "la_name": "Kent",
    "establishment_type": "community",
    "phase": "primary",
    "opened_on": "1974-09-01",
}


async def test_a_request_is_counted_under_its_route_template_not_its_path(service_client, auth):
    from pep.main import create_app

    async with service_client(create_app) as client:
        headers = auth("virtual_school_head")
        before = await scrape(client)
        assert (await client.get(f"/children/{CHILD_ID}", headers=headers)).status_code == 404
        after = await scrape(client)

    route = {"method": "GET", "route": "/children/{child_id}", "status": "404"}
    assert (before.value("http_requests_total", **route) or 0) == 0
    assert after.value("http_requests_total", **route) == 1
    assert after.value("http_request_duration_seconds_count", method="GET", route="/children/{child_id}") == 1


async def test_a_path_no_route_has_is_counted_as_unmatched(service_client):
    from pep.main import create_app

    async with service_client(create_app) as client:
        assert (await client.get(f"/no-such-place/{CHILD_ID}")).status_code == 404
        assert (await client.get("/openapi.json")).status_code == 200
        found = await scrape(client)

    assert found.value("http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert found.value("http_requests_total", method="GET", route="/openapi.json", status="200") == 1


async def test_a_method_a_client_makes_up_cannot_add_series(service_client):
    from pep.main import create_app

    async with service_client(create_app) as client:
        await client.request("BREW", "/health")
        found = await scrape(client)

    assert found.value("http_requests_total", method="other", route="/health", status="405") == 1
    assert "BREW" not in found.text


async def test_no_child_id_or_urn_appears_in_the_metrics_after_requests_that_carry_them(
    service_client, auth
):
    from pep.main import create_app as pep_app
    from schools.main import create_app as schools_app

    async with service_client(schools_app) as schools:
        adviser = auth("principal_adviser")
        registered = await schools.post("/schools", json=SCHOOL, headers=adviser)
        assert registered.status_code == 201, registered.text
        await settle(schools.app)
        assert (await schools.get(f"/schools/{URN}", headers=adviser)).status_code == 200
        assert (await schools.get(f"/schools/{URN}/nothing-here", headers=adviser)).status_code == 404
        at_schools = await scrape(schools)
    async with service_client(pep_app) as pep:
        await pep.get(f"/children/{CHILD_ID}", headers=auth("virtual_school_head"))
        await pep.get(f"/children/{CHILD_ID}/peps", headers=auth("virtual_school_head"))
        at_pep = await scrape(pep)

    assert at_schools.value("http_requests_total", method="GET", route="/schools/{urn}", status="200") == 1
    for found in (at_schools, at_pep):
        assert CHILD_ID not in found.text
        assert f"/schools/{URN}" not in found.text
        # A URN is six digits, which a measured value could contain by chance: labels are what count.
        assert not any(URN in value or CHILD_ID in value for value in found.label_values())
