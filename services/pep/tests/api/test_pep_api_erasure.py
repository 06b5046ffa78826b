"""Erasure (UK GDPR Article 17): once the data protection officer erases a child's personal data
(``PersonalDataErased`` in ``privacy-child:<id>``, then the child's key destroyed), no table of the
pep or pupil-premium services holds any of it, whatever happens next; the child's record, PEPs,
lists and reports still answer, with the erased details null and the day they were erased; and
every read model rebuilt from the log is the one kept live.

The erasure itself is the event-log service's to record: here the test records it as that
service does, the event first and then the key destroyed, and lets events of the child arrive in
between (an erasure interrupted between its two steps) and after."""

from __future__ import annotations

from datetime import date

from pupil_premium.main import create_app as create_pupil_premium
from pupil_premium.projections import read_models as pupil_premium_read_models

from pep.projections import read_models as pep_read_models
from shared.eventlog.records import NewEvent
from shared.eventlog.subscriptions import rebuild
from shared.privacy.events import PersonalDataErased, privacy_stream
from shared.testing.personal_data import where_held

HOME, AWAY = "118001", "118002"
NAME, BORN = "Ottoline Brackenbury-Voss", "2013-02-17"
SOCIAL_WORKER, CARER = "Barnaby Oakenshaw", "Marguerite Quillfeather"
MISSPELT_IRO, IRO = "Perpetua Lindqvst", "Perpetua Lindqvist"
CORRECTION = "Spelling confirmed with Perpetua at the looked-after review"
NEEDS = "Draws herons beautifully and needs help with phonics"
VOICE = "I want to stay at Kestrel Primary with Mr Abernethy"
ATTENDEE = "Aurelio Fitzwilliam-Hart"
REWORK = "The heron project is missing from the targets"
COMMENTS = "A careful plan for a child who loves herons"
# Recorded after the erasure was recorded but before the key was destroyed:
MOVE_REASON = "Moved to a placement beside the Wensum water meadows"
LATER_NEEDS = "Settling well at the new school near the water meadows"
LATER_VOICE = "My new teacher Mrs Ravensworth lets me draw"
LATER_REWORK = "The water meadows tutoring is not costed"
LATER_COMMENTS = "Ravensworth and the carer agreed the plan"

PERSONAL = (
    NAME, BORN, SOCIAL_WORKER, CARER, MISSPELT_IRO, IRO, CORRECTION, NEEDS, VOICE, ATTENDEE, REWORK, COMMENTS,
    MOVE_REASON, LATER_NEEDS, LATER_VOICE, LATER_REWORK, LATER_COMMENTS,
)
ERASED = date(2026, 11, 2)
# Where the pep and pupil-premium services keep their read models.
PEP_AND_PUPIL_PREMIUM = ("pep", "pupil_premium")
ERASED_ON = ERASED.isoformat()


async def record_erasure(store) -> None:
    """The data protection officer's erasure, as the event-log service records it."""
    erasure = PersonalDataErased(
        subject="child:C1", erased_on=ERASED, rule="erasure_request", reason="Article 17 request"
    )
    await store.append(
        privacy_stream("child:C1"),
        [NewEvent.from_event(erasure, default_effective_date=ERASED)],
        metadata={"actor": "dpo-tester", "role": "data_protection_officer"},
    )


async def destroy_key(pool) -> None:
    destroyed = await pool.execute(
        "UPDATE eventlog.subject_keys SET wrapped_key = NULL, erased_at = now() WHERE subject = $1",
        "child:C1",
    )
    assert destroyed == "UPDATE 1"


async def snapshot(pool, projections) -> dict[str, list[tuple]]:
    found = {}
    for projection in projections:
        for table in projection.tables:
            rows = await pool.fetch(f'SELECT * FROM "{projection.schema}"."{table}"')
            found[f"{projection.schema}.{table}"] = sorted((tuple(row.values()) for row in rows), key=repr)
    return found


def review(meeting: str, voice: str, helpers, progress=(), exclusions=()) -> dict:
    body = helpers.review_body(meeting, progress=list(progress), exclusions=list(exclusions))
    return {**body, "child_voice": voice, "attendees": [{"name": ATTENDEE, "role": "social_worker"}]}


async def work_a_pep_through(
    api, helpers, pep_id: str, *, needs, voice, rework, comments, days, **review_extra
) -> None:
    """Draft, targets, review, submission, a return for rework, submission again and quality
    assurance (amber, with comments), on the days given."""
    drafted, meeting, submitted, returned, again, assured = days
    pep = f"/children/C1/peps/{pep_id}"
    draft = {"strengths_and_needs": needs, "saved_on": drafted}
    await api.ok("POST", f"{pep}/draft", api.social_worker, draft)
    target = helpers.target(f"T-{pep_id}", "2026-12-11")
    await api.ok("POST", f"{pep}/targets", api.social_worker, {"targets": [target], "set_on": meeting})
    await api.ok("POST", f"{pep}/review", api.social_worker, review(meeting, voice, helpers, **review_extra))
    await api.ok("POST", f"{pep}/submission", api.social_worker, {"submitted_on": submitted})
    await api.ok("POST", f"{pep}/return-for-rework", api.vso, {"reason": rework, "returned_on": returned})
    await api.ok("POST", f"{pep}/submission", api.social_worker, {"submitted_on": again})
    await api.ok(
        "POST", f"{pep}/quality-assurance", api.vso,
        {"rating": "amber", "comments": comments, "quality_assured_on": assured},
    )


async def test_an_erased_child_leaves_no_personal_data_in_any_table_and_every_view_still_answers(
    pep_service, service_client, store, pool, helpers
):
    async with pep_service() as api, service_client(create_pupil_premium) as pupil_premium:
        await api.set_term_dates()
        await api.enter_care(
            "C1", "2026-09-07", name=NAME, date_of_birth=BORN, social_worker=SOCIAL_WORKER, carer=CARER,
            independent_reviewing_officer=MISSPELT_IRO,
        )
        await api.place("C1", HOME, "2026-09-08")
        await api.looked_after_at("C2", HOME)  # another child, whose record is untouched
        await api.ok("POST", "/children/C1/corrections", api.vso,
                     {"corrections": {"independent_reviewing_officer": IRO}, "reason": CORRECTION})
        await api.initiate("C1", "P1", 2026, "autumn", "2026-09-10", occasion="initial")
        exclusion = {"kind": "fixed_term", "first_day": "2026-09-15", "school_days": "1", "reason": "fight"}
        await work_a_pep_through(
            api, helpers, "P1", needs=NEEDS, voice=VOICE, rework=REWORK, comments=COMMENTS,
            days=("2026-09-18", "2026-09-21", "2026-09-22", "2026-09-23", "2026-09-24", "2026-09-25"),
            exclusions=[exclusion],
        )
        await api.settle()
        for subscription in pupil_premium.app.state.subscriptions:
            await subscription.catch_up()
        facts = await pool.fetchval("SELECT count(*) FROM pupil_premium.child_facts WHERE child_id = 'C1'")
        assert facts == 1
        # The search finds what the read models hold before the erasure.
        held = set(await where_held(pool, PERSONAL, schemas=PEP_AND_PUPIL_PREMIUM))
        assert {f'"pep"."children": {value}' for value in (NAME, BORN, SOCIAL_WORKER, CARER, IRO)} <= held
        assert '"pep"."peps": ' + COMMENTS in held

        # The data protection officer's erasure is recorded ...
        await record_erasure(store)
        await api.settle()
        assert await where_held(pool, PERSONAL, schemas=PEP_AND_PUPIL_PREMIUM) == []

        # ... and before the key is destroyed the child moves school and a new PEP is worked
        # through, its personal fields still sealed with the key: nothing of it reaches a table.
        await api.move("C1", AWAY, "2026-10-05", reason=MOVE_REASON)
        await api.initiate("C1", "P2", 2026, "autumn", "2026-10-06", occasion="change_of_school")
        progress = [{"target_id": "T-P1", "status": "on_track", "evidence": "Reading age 9"}]
        await work_a_pep_through(
            api, helpers, "P2", needs=LATER_NEEDS, voice=LATER_VOICE, rework=LATER_REWORK,
            comments=LATER_COMMENTS,
            days=("2026-10-07", "2026-10-08", "2026-10-09", "2026-10-12", "2026-10-13", "2026-10-14"),
            progress=progress,
        )
        await api.settle()
        assert await where_held(pool, PERSONAL, schemas=PEP_AND_PUPIL_PREMIUM) == []
        # Nor is any of it shown, though the log could still be read with the key.
        child = (await api.client.get("/children/C1", headers=api.vso)).json()
        assert (child["name"], child["carer"], child["personal_data_erased_on"]) == (None, None, ERASED_ON)
        pep = (await api.client.get("/children/C1/peps/P2", headers=api.vso)).json()
        assert [pep["strengths_and_needs"], pep["review"]["child_voice"], pep["comments"]] == [None] * 3

        # The key is destroyed. Later events of the child are applied, none parked.
        await destroy_key(pool)
        await api.ok("POST", "/children/C1/leaving-care", api.social_worker,
                     {"left_care_on": "2026-10-20", "reason": "returned_home"})
        refused = await api.client.post(
            "/children/C1/corrections", headers=api.vso,
            json={"corrections": {"carer": CARER}, "reason": CORRECTION},
        )
        assert (refused.status_code, refused.json()["type"]) == (409, "/problems/personal-data-erased")
        await api.settle()
        for subscription in pupil_premium.app.state.subscriptions:
            await subscription.catch_up()
        assert await where_held(pool, PERSONAL, schemas=PEP_AND_PUPIL_PREMIUM) == []

        # The child's record, PEPs, lists and reports answer, the erased details null.
        record = await api.client.get("/children/C1", headers=api.vso)
        assert record.status_code == 200, record.text
        child = record.json()
        assert child["personal_data_erased_on"] == ERASED_ON
        assert [child[name] for name in ("name", "date_of_birth", "social_worker", "carer",
                                         "independent_reviewing_officer")] == [None] * 5
        assert (child["care_status"], child["current_school"]["urn"]) == ("left_care", AWAY)
        assert [p["comments"] for p in child["peps"]] == [None, None]
        listed = (await api.client.get("/children/C1/peps", headers=api.vso)).json()
        assert listed["personal_data_erased_on"] == ERASED_ON
        assert [(p["pep_id"], p["status"], p["rating"]) for p in listed["items"]] == [
            ("P1", "quality_assured", "amber"), ("P2", "quality_assured", "amber")
        ]
        pep = await api.client.get("/children/C1/peps/P2", headers=api.vso)
        assert pep.status_code == 200, pep.text
        detail = pep.json()
        assert [detail["strengths_and_needs"], detail["comments"], detail["returned_reason"]] == [None] * 3
        assert (detail["review"]["child_voice"], detail["review"]["attendees"]) == (None, None)
        assert detail["review"]["attendance"]["percentage"] == "95.0"

        roll = (await api.client.get("/virtual-school/roll?care_status=left_care", headers=api.vso)).json()
        assert [(c["child_id"], c["name"], c["date_of_birth"], c["personal_data_erased_on"])
                for c in roll["items"]] == [("C1", None, None, ERASED_ON)]
        still_in_care = (await api.client.get("/virtual-school/roll", headers=api.vso)).json()
        assert [(c["child_id"], c["name"], c["personal_data_erased_on"]) for c in still_in_care["items"]] == [
            ("C2", "Child C2", None)
        ]
        for report in ("pep-compliance", "overdue-peps", "persistent-absence", "exclusions",
                       "days-lost-awaiting-place"):
            answer = await api.client.get(f"/reports/{report}", headers=api.vso)
            assert answer.status_code == 200, (report, answer.text)
        exclusions = (await api.client.get("/reports/exclusions", headers=api.vso)).json()
        assert exclusions["children"] == 1
        assert [(e["child_id"], e["name"], e["personal_data_erased_on"]) for e in exclusions["items"]] == [
            ("C1", None, ERASED_ON)
        ]
        at_away = (await api.client.get(f"/schools/{AWAY}/children", headers=api.vso)).json()
        assert at_away["summary"]["children"] == 0  # C1 left care: the school's list is of children in care

        # Every read model rebuilt from the log is the one kept live.
        for app, projections in (
            (api.app, pep_read_models(api.app.state.catalogue)),
            (pupil_premium.app, pupil_premium_read_models()),
        ):
            live = await snapshot(app.state.pool, projections)
            for projection in projections:
                await rebuild(app.state.pool, projection)
            assert await snapshot(app.state.pool, projections) == live
        assert await where_held(pool, PERSONAL, schemas=PEP_AND_PUPIL_PREMIUM) == []


async def test_the_virtual_school_reports_count_an_erased_child(pep_service, store, pool):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", HOME)
        await api.looked_after_at("C2", HOME)
        await api.ok("POST", "/children/C1/awaiting-school-place", api.social_worker,
                     {"place_needed_from": "2026-10-05", "reason": MOVE_REASON})
        await record_erasure(store)
        await destroy_key(pool)
        await api.settle()

        roll = (await api.client.get("/virtual-school/roll", headers=api.vso)).json()
        assert roll["summary"]["children"] == 2 and roll["summary"]["awaiting_school_place"] == 1
        assert [(c["child_id"], c["name"]) for c in roll["items"]] == [("C1", None), ("C2", "Child C2")]
        days_lost = (await api.client.get("/reports/days-lost-awaiting-place", headers=api.vso)).json()
        assert [(c["child_id"], c["name"], c["personal_data_erased_on"]) for c in days_lost["items"]] == [
            ("C1", None, ERASED_ON)
        ]
        school = (await api.client.get(f"/schools/{HOME}/children", headers=api.vso)).json()
        assert [(c["child_id"], c["name"]) for c in school["items"]] == [("C2", "Child C2")]
        assert await where_held(pool, (MOVE_REASON, "Child C1"), schemas=PEP_AND_PUPIL_PREMIUM) == []


async def test_erased_through_the_data_protection_officers_route_no_table_of_the_database_holds_the_child(
    pep_service, service_client, pool, helpers, auth
):
    from event_log.main import create_app as create_event_log

    async with pep_service() as api, service_client(create_event_log) as event_log:
        await api.set_term_dates()
        await api.enter_care(
            "C1", "2026-09-07", name=NAME, date_of_birth=BORN, social_worker=SOCIAL_WORKER, carer=CARER,
            independent_reviewing_officer=IRO,
        )
        await api.place("C1", HOME, "2026-09-08")
        await api.initiate("C1", "P1", 2026, "autumn", "2026-09-10", occasion="initial")
        await work_a_pep_through(
            api, helpers, "P1", needs=NEEDS, voice=VOICE, rework=REWORK, comments=COMMENTS,
            days=("2026-09-18", "2026-09-21", "2026-09-22", "2026-09-23", "2026-09-24", "2026-09-25"),
        )
        assert (await api.client.get("/children/C1", headers=api.vso)).json()["name"] == NAME  # a read
        await api.settle()
        values = (NAME, BORN, SOCIAL_WORKER, CARER, IRO, NEEDS, VOICE, ATTENDEE, REWORK, COMMENTS)
        assert '"pep"."children": ' + NAME in await where_held(pool, values)

        dpo = auth("data_protection_officer", sub="dpo-jo")
        held = await event_log.post(
            "/privacy/children/C1/legal-holds", json={"reason": "Claim 2026-0142"}, headers=dpo
        )
        assert held.status_code in (200, 201), held.text
        refused = await event_log.post(
            "/privacy/children/C1/erasure", json={"rule": "erasure_request", "reason": "Article 17"}, headers=dpo
        )
        assert refused.status_code == 409, refused.text
        assert (await event_log.get("/children/C1/timeline", headers=auth("auditor"))).json()["items"][0][
            "data"
        ]["name"] == NAME  # nothing was erased
        hold_id = held.json()["hold_id"]
        lifted = await event_log.post(
            f"/privacy/children/C1/legal-holds/{hold_id}/lift", json={"reason": "Claim settled"}, headers=dpo
        )
        assert lifted.status_code == 200, lifted.text
        erased = await event_log.post(
            "/privacy/children/C1/erasure", json={"rule": "erasure_request", "reason": "Article 17"}, headers=dpo
        )
        assert erased.status_code == 200, erased.text
        await api.settle()

        assert await where_held(pool, values) == []
        auditor = auth("auditor", sub="audit-sam")
        assert (await event_log.get("/verification", headers=auditor)).json()["ok"] is True
        timeline = (await event_log.get("/children/C1/timeline", headers=auditor)).json()["items"]
        entered = next(e for e in timeline if e["type"] == "ChildEnteredCare")
        assert entered["data"]["name"] is None and "name" in entered["erased"]
        report = await event_log.get("/privacy/children/C1/subject-access", headers=dpo)
        assert report.status_code == 200, report.text
        logged = await pool.fetchval("SELECT count(*) FROM eventlog.events WHERE 'child:C1' = ANY(subjects)")
        assert len(report.json()["events"]) == logged
        # Every read of the child's record, the officer's above among them.
        reads = await pool.fetchval("SELECT count(*) FROM eventlog.record_reads WHERE subject = 'child:C1'")
        assert 0 < len(report.json()["record_reads"]) <= reads
        assert any(r["route"] == "GET /children/{child_id}" for r in report.json()["record_reads"])
        compliance = await api.client.get("/reports/pep-compliance", headers=api.vso)
        assert compliance.status_code == 200, compliance.text
