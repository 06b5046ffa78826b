"""Rectification through the API (UK GDPR Article 16): the virtual school corrects a detail recorded
wrongly about a child, with the reason. The child's record and the lists show the right value at
once; the log keeps what was first recorded and the correction; a read model rebuilt from the log
is the one kept live."""

from __future__ import annotations

from event_log.main import create_app as create_event_log

from pep.projections import read_models
from shared.eventlog.subscriptions import rebuild

URN = "118001"
REASON = "The birth certificate seen at the PEP meeting shows 10 May 2014, and the name Jordan."


def corrections_url(child_id: str = "C1") -> str:
    return f"/children/{child_id}/corrections"


async def read_models_now(pool, catalogue) -> dict[str, dict[str, list[tuple]]]:
    found: dict[str, dict[str, list[tuple]]] = {}
    for projection in read_models(catalogue):
        tables = found.setdefault(projection.name, {})
        for table in projection.tables:
            rows = await pool.fetch(f'SELECT * FROM "{projection.schema}"."{table}"')
            tables[table] = sorted((tuple(row.values()) for row in rows), key=repr)
    return found


async def test_an_officer_corrects_a_name_and_date_of_birth_and_every_view_shows_the_right_ones(
    pep_service, service_client, auth
):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.enter_care("C1", "2026-09-07", name="Jordn Elis", date_of_birth="2014-05-01")
        await api.place("C1", URN, "2026-09-08")
        record = await api.client.get("/children/C1", headers=api.vso)
        headers = {**api.vso, "If-Match": record.headers["etag"], "Idempotency-Key": "correct-C1-0001"}
        body = {"corrections": {"name": "Jordan Ellis", "date_of_birth": "2014-05-10"}, "reason": REASON}

        corrected = await api.client.post(corrections_url(), headers=headers, json=body)
        assert corrected.status_code == 200, corrected.text
        assert [e["type"] for e in corrected.json()["events"]] == ["ChildDetailsCorrected"]
        assert corrected.headers["etag"] == '"5"'
        again = await api.client.post(corrections_url(), headers=headers, json=body)
        assert again.json() == corrected.json()  # a retry records nothing more

        await api.settle()
        child = (await api.client.get("/children/C1", headers=api.vso)).json()
        assert (child["name"], child["date_of_birth"]) == ("Jordan Ellis", "2014-05-10")
        assert child["personal_data_erased_on"] is None
        roll = (await api.client.get("/virtual-school/roll", headers=api.vso)).json()
        assert [(c["name"], c["date_of_birth"]) for c in roll["items"]] == [("Jordan Ellis", "2014-05-10")]
        school = (await api.client.get(f"/schools/{URN}/children", headers=api.vso)).json()
        assert [(c["name"], c["date_of_birth"]) for c in school["items"]] == [("Jordan Ellis", "2014-05-10")]

        # The history keeps both: what was recorded first, and the correction with its reason.
        stream = await api.app.state.store.read_stream("child-C1")
        first, correction = stream[0], stream[-1]
        assert (first.event_type, first.data["name"], first.data["date_of_birth"]) == (
            "ChildEnteredCare", "Jordn Elis", "2014-05-01"
        )
        assert correction.event_type == "ChildDetailsCorrected"
        assert (correction.data["name"], correction.data["reason"]) == ("Jordan Ellis", REASON)
        assert correction.metadata["role"] == "virtual_school_officer"

    async with service_client(create_event_log) as auditors:
        timeline = await auditors.get("/children/C1/timeline", headers=auth("auditor"))
        assert timeline.status_code == 200, timeline.text
        shown = [(e["type"], e["data"].get("name")) for e in timeline.json()["items"]]
        assert ("ChildEnteredCare", "Jordn Elis") in shown
        assert ("ChildDetailsCorrected", "Jordan Ellis") in shown


async def test_the_date_of_birth_first_recorded_yields_to_a_correction_and_a_rebuild_agrees(pep_service):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.enter_care("C1", "2026-09-07", date_of_birth="2014-05-01")
        await api.ok("POST", "/children/C1/leaving-care", api.social_worker,
                     {"left_care_on": "2026-09-21", "reason": "returned_home"})
        await api.enter_care("C1", "2026-10-05", date_of_birth="2014-01-05")
        await api.settle()
        roll = (await api.client.get("/virtual-school/roll", headers=api.vso)).json()
        assert [c["date_of_birth"] for c in roll["items"]] == ["2014-05-01"]  # the first recorded

        await api.ok("POST", corrections_url(), api.vsh,
                     {"corrections": {"date_of_birth": "2014-01-05", "carer": "Dee White"}, "reason": REASON})
        await api.settle()
        roll = (await api.client.get("/virtual-school/roll", headers=api.vso)).json()
        assert [(c["date_of_birth"], c["name"]) for c in roll["items"]] == [("2014-01-05", "Child C1")]
        child = (await api.client.get("/children/C1", headers=api.vso)).json()
        assert (child["date_of_birth"], child["carer"]) == ("2014-01-05", "Dee White")

        pool, catalogue = api.app.state.pool, api.app.state.catalogue
        live = await read_models_now(pool, catalogue)
        for projection in read_models(catalogue):
            await rebuild(pool, projection)
        assert await read_models_now(pool, catalogue) == live


async def test_a_wrong_correction_is_refused_naming_the_field_and_records_nothing(pep_service):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.enter_care("C1", "2026-09-07")
        await api.ok("POST", "/children/C1/leaving-care", api.social_worker,
                     {"left_care_on": "2026-09-21", "reason": "returned_home"})
        before = await api.app.state.store.stream_version("child-C1")
        cases = [
            ({"name": "Jordan Ellis"}, None, "reason"),
            ({}, REASON, "corrections"),
            ({"date_of_birth": "10/05/2014"}, REASON, "corrections.date_of_birth"),
            ({"date_of_birth": "2026-09-08"}, REASON, "corrections.date_of_birth"),  # after entering care
            ({"nickname": "Jo"}, REASON, "corrections.nickname"),
            ({"carer": "Pat Brown"}, REASON, "corrections.carer"),  # what is recorded already
            ({"legal_status": "full_care_order"}, REASON, "corrections.legal_status"),  # left care
            ({"name": "Jordan Ellis"}, "  ", "reason"),
        ]
        for corrections, reason, field in cases:
            body = {"corrections": corrections, **({"reason": reason} if reason is not None else {})}
            refused = await api.client.post(corrections_url(), headers=api.vso, json=body)
            assert (refused.status_code, refused.json().get("field")) == (422, field), (body, refused.text)
        assert await api.app.state.store.stream_version("child-C1") == before

        body = {"corrections": {"name": "A B"}, "reason": REASON}
        unknown = await api.client.post(corrections_url("NOBODY"), headers=api.vso, json=body)
        assert (unknown.status_code, unknown.json()["field"]) == (409, "child_id")
        assert unknown.json()["type"] == "/problems/child-status"
        assert await api.app.state.store.stream_version("child-NOBODY") == 0

        stale = await api.client.post(
            corrections_url(), headers={**api.vso, "If-Match": '"1"'},
            json={"corrections": {"name": "Jordan Ellis"}, "reason": REASON},
        )
        assert (stale.status_code, stale.json()["field"]) == (409, "If-Match")


async def test_only_the_virtual_school_corrects_a_childs_record(pep_service):
    async with pep_service() as api:
        await api.looked_after_at("C1", URN)
        body = {"corrections": {"name": "Jordan Ellis"}, "reason": REASON}
        for headers in (api.social_worker, api.designated_teacher(URN), api.auditor):
            refused = await api.client.post(corrections_url(), headers=headers, json=body)
            assert refused.status_code == 403, refused.text
        assert (await api.client.post(corrections_url(), headers=api.vsh, json=body)).status_code == 200
