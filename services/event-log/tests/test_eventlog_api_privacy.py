"""The data protection officer's routes on a real log: legal holds, erasure by destroying the
child's key, the retention schedule and the children due under it, and the daily review that
finishes an interrupted erasure."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import date, timedelta
from decimal import Decimal
from typing import ClassVar

import pytest
from pep.domain.child_events import (
    ChildEnteredCare,
    LegalStatus,
    PreviouslyLookedAfterChildRegistered,
    PreviouslyLookedAfterRoute,
    SenStatus,
    YearGroup,
)
from pep.domain.pep_events import PepInitiated, PepOccasion, PepReviewRecorded
from pep.domain.reviews import Attendance, Attendee, AttendeeRole
from pep.domain.terms import Season, TermRef

from shared.eventlog.checkpoints import publish_checkpoint
from shared.events import Event
from shared.eventlog.verify import verify_chain
from shared.privacy.events import LegalHoldPlaced, PersonalDataErased
from shared.privacy.keys import ErasedSubjectRefused as ErasedRefusal
from shared.testing.personal_data import where_held
from shared.web.commands import ServiceLog

from event_log import wiring

from eventlog_api_support import new

NAME, BORN, CARER = "Ottoline Brackenbury-Voss", date(2013, 2, 17), "Wilhelmina Quayle-Farrant"
VOICE = "I want to stay at Kestrel Primary with Mr Abernethy"
PERSONAL = (NAME, BORN.isoformat(), CARER, VOICE)


def entered_care(child_id: str, *, name: str = NAME, born: date = BORN) -> ChildEnteredCare:
    return ChildEnteredCare(
        child_id=child_id,
        name=name,
        date_of_birth=born,
        entered_care_on=date(2024, 6, 3),
        legal_status=LegalStatus.FULL_CARE_ORDER,
        placing_authority="Medway",
        social_worker="Priya Sandhu",
        carer=CARER,
        independent_reviewing_officer="Tomas Lindqvist",
        sen_status=SenStatus.NONE,
        year_group=YearGroup.YEAR_6,
    )


def pep_with_review(child_id: str) -> list:
    common = {
        "child_id": child_id,
        "urn": "118000",
        "pep_id": f"PEP-{child_id}",
        "term": TermRef(academic_year=2024, season=Season.AUTUMN),
    }
    return [
        PepInitiated(**common, occasion=PepOccasion.INITIAL, initiated_on=date(2024, 6, 10)),
        PepReviewRecorded(
            **common,
            meeting_date=date(2024, 10, 8),
            attendance=Attendance(
                percentage=Decimal("97.0"), period_start=date(2024, 9, 4), period_end=date(2024, 10, 7)
            ),
            persistent_absence=False,
            child_voice=VOICE,
            attendees=(Attendee(name=CARER, role=AttendeeRole.CARER),),
        ),
    ]


async def write_looked_after_child(log, child_id: str = "C1", **details) -> None:
    await log.append(f"child-{child_id}", [new(entered_care(child_id, **details))])
    await log.append(f"pep-{child_id}", [new(e) for e in pep_with_review(child_id)])


async def write_previously_looked_after_child(log, child_id: str, born: date) -> None:
    registered = PreviouslyLookedAfterChildRegistered(
        child_id=child_id,
        name=f"Child {child_id}",
        date_of_birth=born,
        left_care_on=date(2009, 6, 1),
        route=PreviouslyLookedAfterRoute.ADOPTED,
        previously_looked_after_by="Kent",
        sen_status=SenStatus.NONE,
        year_group=YearGroup.YEAR_13,
        registered_on=date(2018, 9, 3),
    )
    await log.append(f"child-{child_id}", [new(registered)])


@pytest.fixture
def dpo(auth):
    return auth("data_protection_officer", sub="dpo-jo")


async def erase(client, dpo, child_id="C1", rule="erasure_request", key: str | None = None, **headers):
    extra = {"Idempotency-Key": key} if key else {}
    return await client.post(
        f"/privacy/children/{child_id}/erasure",
        json={"rule": rule, "reason": "Request DPO-2026-031: no ground to keep the record"},
        headers={**dpo, **extra, **headers},
    )


async def place_hold(client, dpo, child_id="C1"):
    return await client.post(
        f"/privacy/children/{child_id}/legal-holds",
        json={"reason": "Claim 2026-0142 against the council"},
        headers=dpo,
    )


async def key_of(pool, child_id="C1"):
    return await pool.fetchrow(
        "SELECT wrapped_key, erased_at FROM eventlog.subject_keys WHERE subject = $1", f"child:{child_id}"
    )


async def privacy_events(pool, child_id="C1") -> list[str]:
    rows = await pool.fetch(
        "SELECT event_type FROM eventlog.events WHERE stream_id = $1 ORDER BY stream_version",
        f"privacy-child:{child_id}",
    )
    return [r["event_type"] for r in rows]


async def names_read(store, child_id="C1") -> list:
    return [e.data.get("name") for e in await store.read_stream(f"child-{child_id}")]


# -- legal holds stop an erasure -----------------------------------------------------------------


async def test_an_erasure_under_a_legal_hold_is_refused_and_changes_nothing_until_the_hold_is_lifted(
    client, log, pool, dpo, auth
):
    await write_looked_after_child(log)
    placed = await place_hold(client, dpo)
    assert placed.status_code == 201, placed.text
    hold_id = placed.json()["hold_id"]
    assert placed.json()["under_legal_hold"] is True
    assert placed.json()["legal_holds"][0]["placed_by"] == "dpo-jo"
    head = await log.head_position()

    refused = await erase(client, dpo)
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/legal-hold-in-force" and hold_id in refused.json()["detail"]
    assert await log.head_position() == head  # nothing recorded
    assert (await key_of(pool))["wrapped_key"] is not None  # nor the key destroyed
    assert await names_read(log) == [NAME]

    lifted = await client.post(
        f"/privacy/children/C1/legal-holds/{hold_id}/lift", json={"reason": "Claim settled"}, headers=dpo
    )
    assert lifted.status_code == 200, lifted.text
    assert (
        lifted.json()["under_legal_hold"] is False
        and lifted.json()["legal_holds"][0]["lifted_by"] == "dpo-jo"
    )

    erased = await erase(client, dpo)
    assert erased.status_code == 200, erased.text
    assert erased.json()["erasure"]["rule"] == "erasure_request"
    assert erased.json()["erasure"]["erased_by"] == "dpo-jo"
    assert erased.json()["erasure"]["key_destroyed_at"] is not None
    assert (await key_of(pool))["wrapped_key"] is None
    assert await privacy_events(pool) == ["LegalHoldPlaced", "LegalHoldLifted", "PersonalDataErased"]
    assert await names_read(log) == [None]

    record = await client.get("/privacy/children/C1", headers=auth("auditor"))
    assert record.status_code == 200 and record.headers["ETag"] == '"3"'
    assert record.json()["erasure"]["erased_on"] == "2026-11-02"


async def test_a_hold_and_an_erasure_sent_together_exactly_one_wins(client, log, pool, dpo):
    children = [f"R{n}" for n in range(6)]
    for child_id in children:
        await write_looked_after_child(log, child_id)

    def both(n: int, child_id: str):
        calls = [place_hold(client, dpo, child_id), erase(client, dpo, child_id)]
        return calls if n % 2 else calls[::-1]

    sent = await asyncio.gather(*(call for n, child_id in enumerate(children) for call in both(n, child_id)))
    for n, child_id in enumerate(children):
        pair = sent[2 * n : 2 * n + 2]
        held, erased = pair if n % 2 else pair[::-1]
        if erased.status_code == 200:
            assert held.status_code == 409 and held.json()["type"] == "/problems/personal-data-erased"
        else:
            assert held.status_code == 201, held.text
            assert erased.status_code == 409 and erased.json()["type"] == "/problems/legal-hold-in-force"
        await only_the_winner_is_recorded(pool, child_id, erasure_won=erased.status_code == 200)


async def only_the_winner_is_recorded(pool, child_id: str, *, erasure_won: bool) -> None:
    events = await privacy_events(pool, child_id)
    key = await key_of(pool, child_id)
    if erasure_won:
        assert events == ["PersonalDataErased"] and key["wrapped_key"] is None
    else:
        assert events == ["LegalHoldPlaced"] and key["wrapped_key"] is not None


class Overtaken(ServiceLog):
    """The service's log, where another decision about the same child lands after this one was
    decided and before it is appended: the moment two requests race."""

    competing: ClassVar[list[tuple[str, Event]]] = []

    async def submit(self, stream_id, events, **options):
        if self.competing and self.competing[0][0] == stream_id:
            _, event = self.competing.pop(0)
            await self.store.append(stream_id, [new(event)])
        return await super().submit(stream_id, events, **options)


@pytest.mark.parametrize("overtaken_by", ["hold", "erasure"])
async def test_a_hold_placed_as_an_erasure_is_decided_wins_or_loses_to_it_but_never_both_succeed(
    client, log, pool, dpo, monkeypatch, overtaken_by
):
    await write_looked_after_child(log)
    monkeypatch.setattr(wiring, "ServiceLog", Overtaken)
    if overtaken_by == "hold":  # the erasure read the record without the hold, then the hold landed
        hold = LegalHoldPlaced(
            subject="child:C1", hold_id="HOLD-racing", placed_on=date(2026, 11, 2), reason="Claim"
        )
        monkeypatch.setattr(Overtaken, "competing", [("privacy-child:C1", hold)])
        erased = await erase(client, dpo)
        assert erased.status_code == 409 and erased.json()["type"] == "/problems/legal-hold-in-force"
    else:  # the hold read the record before the erasure was recorded
        gone = PersonalDataErased(
            subject="child:C1", erased_on=date(2026, 11, 2), rule="erasure_request", reason="x"
        )
        monkeypatch.setattr(Overtaken, "competing", [("privacy-child:C1", gone)])
        held = await place_hold(client, dpo)
        assert held.status_code == 409 and held.json()["type"] == "/problems/personal-data-erased"
        await pool.execute(  # the erasure's second step
            "UPDATE eventlog.subject_keys SET wrapped_key = NULL, erased_at = now() "
            "WHERE subject = 'child:C1'"
        )
    assert Overtaken.competing == []  # the competing decision did land in between
    await only_the_winner_is_recorded(pool, "C1", erasure_won=overtaken_by == "erasure")


async def test_an_erasure_retried_with_the_same_key_answers_the_same_and_is_recorded_once(
    client, log, pool, dpo
):
    await write_looked_after_child(log)
    first = await erase(client, dpo, key="erase-C1-DPO-2026-031")
    again = await erase(client, dpo, key="erase-C1-DPO-2026-031")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json() and again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Log-Position"] == first.headers["Log-Position"]
    assert await privacy_events(pool) == ["PersonalDataErased"]
    another_key = await erase(client, dpo, key="erase-C1-second-try")
    assert another_key.status_code == 409 and another_key.json()["type"] == "/problems/personal-data-erased"


async def test_an_erasure_under_a_rule_not_yet_due_is_refused_and_an_unknown_child_is_not_found(
    client, log, pool, dpo
):
    await write_looked_after_child(log)
    early = await erase(client, dpo, rule="looked_after_child")
    assert early.status_code == 409
    assert early.json()["type"] == "/problems/retention-not-due" and early.json()["field"] == "rule"
    assert "2088-02-17" in early.json()["detail"]
    assert await privacy_events(pool) == [] and (await key_of(pool))["wrapped_key"] is not None

    unknown = await erase(client, dpo, child_id="C404")
    assert unknown.status_code == 404 and unknown.json()["field"] == "child_id"
    assert (
        await client.post("/privacy/children/C404/legal-holds", json={"reason": "x"}, headers=dpo)
    ).status_code == 404
    assert (await client.get("/privacy/children/C404", headers=dpo)).status_code == 404
    assert await pool.fetchval("SELECT count(*) FROM eventlog.subject_keys WHERE subject = 'child:C404'") == 0


async def test_bad_input_is_refused_naming_the_field_and_changes_nothing(client, log, pool, dpo):
    await write_looked_after_child(log)
    head = await log.head_position()
    cases = [
        ({"rule": "whenever", "reason": "x"}, "rule"),
        ({"rule": "erasure_request"}, "reason"),
        ({"rule": "erasure_request", "reason": "   "}, "reason"),
        ({"rule": "erasure_request", "reason": "x" * 4001}, "reason"),
        ({"rule": "erasure_request", "reason": "x", "child_name": NAME}, "child_name"),
    ]
    for body, field in cases:
        answer = await client.post("/privacy/children/C1/erasure", json=body, headers=dpo)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["field"] == field, (body, answer.json())
    stale = await erase(client, dpo, **{"If-Match": '"4"'})
    assert stale.status_code == 409 and stale.json()["type"] == "/problems/version-conflict"
    lift = await client.post(
        "/privacy/children/C1/legal-holds/HOLD-none/lift", json={"reason": "x"}, headers=dpo
    )
    assert lift.status_code == 404 and lift.json()["field"] == "hold_id"
    assert await log.head_position() == head and (await key_of(pool))["wrapped_key"] is not None


async def test_only_the_data_protection_officer_keeps_the_records_and_auditors_read_them(client, log, auth):
    await write_looked_after_child(log)
    for role in ("auditor", "virtual_school_head", "principal_adviser", "operator"):
        assert (await erase(client, auth(role))).status_code == 403, role
        assert (await place_hold(client, auth(role))).status_code == 403, role
    assert (await client.get("/privacy/children/C1", headers=auth("auditor"))).status_code == 200
    assert (
        await client.get("/privacy/retention/due", headers=auth("virtual_school_head"))
    ).status_code == 403


# -- after an erasure ------------------------------------------------------------------------------


async def test_after_an_erasure_nothing_of_the_childs_name_birth_or_words_is_left_and_the_log_still_verifies(
    client, log, pool, dpo, auth, clock
):
    await write_looked_after_child(log)
    await write_looked_after_child(log, "C2", name="Someone Else", born=date(2012, 7, 30))
    auditor = auth("auditor", sub="audit-sam")
    read_before = json.dumps([e.data for e in await log.read_all()], default=str)
    assert all(value in read_before for value in PERSONAL)  # opened with the key, before the erasure
    checkpoint = await publish_checkpoint(
        pool, client.app.state.checkpoint_signer, clock.now(), min_interval=timedelta(0)
    )

    assert (await erase(client, dpo)).status_code == 200

    seen = await where_held(pool, ["child:C1", "DPO-2026-031"], schemas=["eventlog"])
    assert {place.rsplit(": ", 1)[1] for place in seen} == {"child:C1", "DPO-2026-031"}  # the search sees
    found = await where_held(pool, PERSONAL, schemas=["eventlog"])
    assert found == [], f"still in the eventlog schema: {found}"
    read_after = json.dumps([e.data for e in await log.read_all() if "child:C1" in e.subjects], default=str)
    assert not [value for value in PERSONAL if value in read_after]
    assert "Someone Else" in json.dumps(
        [e.data for e in await log.read_stream("child-C2")]
    )  # others untouched

    [care] = await log.read_stream("child-C1")
    assert set(care.erased) == {
        "name",
        "date_of_birth",
        "social_worker",
        "carer",
        "independent_reviewing_officer",
    }
    assert care.data["legal_status"] == "full_care_order"
    assert (await verify_chain(pool)).ok
    verified = await client.get("/verification", headers=auditor)
    assert verified.status_code == 200 and verified.json()["ok"] is True
    published = checkpoint.to_json()
    check = await client.get(
        "/checkpoints/check",
        params={k: published[k] for k in ("position", "hash", "published_at", "key_id", "signature")},
        headers=auditor,
    )
    assert check.status_code == 200, check.text
    assert check.json()["genuine"] is True and check.json()["matches_log"] is True

    timeline = await client.get("/children/C1/timeline", headers=auditor)
    assert timeline.status_code == 200
    by_type = {e["type"]: e for e in timeline.json()["items"]}
    assert (
        by_type["ChildEnteredCare"]["data"]["name"] is None
        and "name" in by_type["ChildEnteredCare"]["erased"]
    )
    assert set(by_type["PepReviewRecorded"]["erased"]) == {"child_voice", "attendees"}
    assert "erased" not in by_type["PepInitiated"]
    state = await client.get("/children/C1/state", headers=auditor)
    assert state.status_code == 200
    assert VOICE not in state.text and NAME not in state.text
    streams = {s["stream_id"]: s for s in state.json()["streams"]}
    assert all(s["replayable"] for s in streams.values())
    assert (
        streams["child-C1"]["state"]["name"] is None
        and streams["child-C1"]["state"]["status"] == "looked_after"
    )
    assert streams["pep-C1"]["state"]["peps"]["PEP-C1"]["review"]["child_voice"] is None


async def test_nothing_personal_is_recorded_about_a_child_once_erased_even_one_who_had_no_key(
    client, log, pool, dpo
):
    # A child known only from events with nothing personal in them has no key: erasing them
    # leaves one already destroyed, so their name cannot be recorded afterwards either.
    await log.append(
        "child-C7",
        [
            new(
                PepInitiated(
                    child_id="C7",
                    pep_id="PEP-C7",
                    term=TermRef(academic_year=2024, season=Season.AUTUMN),
                    occasion=PepOccasion.INITIAL,
                    initiated_on=date(2024, 6, 10),
                )
            )
        ],
    )
    assert await key_of(pool, "C7") is None
    assert (await erase(client, dpo, child_id="C7")).status_code == 200
    assert (await key_of(pool, "C7"))["erased_at"] is not None
    with pytest.raises(ErasedRefusal):
        await log.append("child-C7", [new(entered_care("C7"))])


# -- the retention schedule and who is due ---------------------------------------------------------


async def test_the_retention_schedule_is_the_default_until_the_council_sets_a_version(client, dpo, auth):
    shown = await client.get("/privacy/retention-schedule", headers=auth("auditor"))
    assert shown.status_code == 200 and shown.headers["ETag"] == '"0"'
    body = shown.json()
    assert body["versions"] == [] and body["in_force_today"] == body["default"]
    lac = next(r for r in body["default"]["rules"] if r["record"] == "looked_after_child")
    assert (lac["keep_for_years"], lac["counted_from"]) == (75, "date_of_birth")
    assert (
        "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 50" in lac["source"]
    )

    version = {
        "effective_from": "2027-04-01",
        "rules": [
            {
                "record": "looked_after_child",
                "keep_for_years": 80,
                "counted_from": "date_of_birth",
                "source": "Council",
            },
            {
                "record": "previously_looked_after_child",
                "keep_for_years": 30,
                "counted_from": "left_care",
                "source": "Council",
            },
        ],
    }
    assert (
        await client.put("/privacy/retention-schedule", json=version, headers=auth("auditor"))
    ).status_code == 403
    set_ = await client.put("/privacy/retention-schedule", json=version, headers={**dpo, "If-Match": '"0"'})
    assert set_.status_code == 200, set_.text
    assert set_.headers["ETag"] == '"1"' and set_.json()["versions"][0]["effective_from"] == "2027-04-01"
    assert set_.json()["in_force_today"] == body["default"]  # not before its day
    again = await client.put("/privacy/retention-schedule", json=version, headers=dpo)
    assert again.status_code == 200 and again.headers["ETag"] == '"1"' and "Log-Position" not in again.headers
    stale = await client.put("/privacy/retention-schedule", json=version, headers={**dpo, "If-Match": '"0"'})
    assert stale.status_code == 409

    missing = await client.put(
        "/privacy/retention-schedule", json={**version, "rules": version["rules"][:1]}, headers=dpo
    )
    assert missing.status_code == 422 and missing.json()["field"] == "rules"
    twice = await client.put(
        "/privacy/retention-schedule", json={**version, "rules": [version["rules"][0]] * 2}, headers=dpo
    )
    assert twice.status_code == 422 and twice.json()["field"] == "rules[1].record"
    too_long = await client.put(
        "/privacy/retention-schedule",
        json={**version, "rules": [{**version["rules"][0], "keep_for_years": 151}, version["rules"][1]]},
        headers=dpo,
    )
    assert too_long.status_code == 422 and too_long.json()["field"] == "rules.0.keep_for_years"


async def test_the_due_list_names_each_child_due_with_rule_date_and_holds_and_follows_the_councils_version(
    client, log, pool, dpo, auth
):
    await write_looked_after_child(log, "L1", born=date(1950, 8, 9))  # 75 on 9 August 2025
    await write_looked_after_child(log, "L2", born=date(1951, 12, 1))  # 75 on 1 December 2026
    await write_looked_after_child(log, "L3")  # 75 in 2088
    await write_looked_after_child(log, "L4", born=date(1949, 1, 1))
    await write_previously_looked_after_child(log, "P1", born=date(2001, 3, 4))  # 25 on 4 March 2026
    assert (await place_hold(client, dpo, "L1")).status_code == 201
    assert (await erase(client, dpo, "L4", rule="looked_after_child")).status_code == 200

    due = await client.get("/privacy/retention/due", params={"on": "2026-11-02"}, headers=dpo)
    assert due.status_code == 200, due.text
    body = due.json()
    assert [(c["child_id"], c["rule"], c["due_on"], c["under_legal_hold"]) for c in body["items"]] == [
        ("L1", "looked_after_child", "2025-08-09", True),
        ("P1", "previously_looked_after_child", "2026-03-04", False),
    ]
    assert (body["due"], body["under_legal_hold"], body["schedule_effective_from"]) == (2, 1, None)
    assert body["items"][0]["legal_holds"] == [
        (await client.get("/privacy/children/L1", headers=dpo)).json()["legal_holds"][0]["hold_id"]
    ]
    later = await client.get("/privacy/retention/due", params={"on": "2026-12-01"}, headers=dpo)
    assert [c["child_id"] for c in later.json()["items"]] == ["L1", "P1", "L2"]
    paged = await client.get("/privacy/retention/due", params={"on": "2026-12-01", "limit": 2}, headers=dpo)
    assert [c["child_id"] for c in paged.json()["items"]] == ["L1", "P1"] and paged.json()["due"] == 3
    rest = await client.get(paged.json()["next"], headers=dpo)
    assert [c["child_id"] for c in rest.json()["items"]] == ["L2"] and rest.json()["next"] is None
    # A person seeing who is due has read those children's records.
    readers = await pool.fetch("SELECT DISTINCT subject FROM eventlog.record_reads WHERE actor = 'dpo-jo'")
    assert {r["subject"] for r in readers} >= {"child:L1", "child:P1", "child:L2"}

    # The council keeps a looked-after child's records to 80 from 1 December 2026, and a previously
    # looked-after child's 20 years from leaving care: from that day, L2 is no longer due and P1 is.
    version = {
        "effective_from": "2026-12-01",
        "rules": [
            {
                "record": "looked_after_child",
                "keep_for_years": 80,
                "counted_from": "date_of_birth",
                "source": "Council",
            },
            {
                "record": "previously_looked_after_child",
                "keep_for_years": 20,
                "counted_from": "left_care",
                "source": "Council",
            },
        ],
    }
    assert (await client.put("/privacy/retention-schedule", json=version, headers=dpo)).status_code == 200
    before = await client.get("/privacy/retention/due", params={"on": "2026-11-30"}, headers=auth("auditor"))
    assert [(c["child_id"], c["due_on"]) for c in before.json()["items"]] == [
        ("L1", "2025-08-09"),
        ("P1", "2026-03-04"),
    ]
    after = await client.get("/privacy/retention/due", params={"on": "2026-12-01"}, headers=auth("auditor"))
    assert after.json()["schedule_effective_from"] == "2026-12-01"
    assert after.json()["items"] == [] and after.json()["due"] == 0
    in_2030 = await client.get("/privacy/retention/due", params={"on": "2030-08-09"}, headers=auth("auditor"))
    assert [(c["child_id"], c["due_on"], c["keep_for_years"]) for c in in_2030.json()["items"]] == [
        ("P1", "2029-06-01", 20),
        ("L1", "2030-08-09", 80),
    ]


# -- the daily retention review ------------------------------------------------------------------


async def until(condition, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_the_retention_review_finishes_an_interrupted_erasure_and_counts_who_is_due_without_naming_them(
    service_client, log, pool, monkeypatch, caplog
):
    from eventlog_api_support import event_log_app

    monkeypatch.setenv("RETENTION_REVIEW_EVERY_SECONDS", "0")
    await write_looked_after_child(log, "C1")
    await write_looked_after_child(log, "L1", born=date(1950, 8, 9))
    async with service_client(event_log_app()) as client:
        scheduler = client.app.state.scheduler
        await until(lambda: "retention-review" in scheduler.last_successes)
        # An erasure stopped between its two steps: recorded, its key not destroyed.
        await log.append(
            "privacy-child:C1",
            [
                new(
                    PersonalDataErased(
                        subject="child:C1",
                        erased_on=date(2026, 11, 2),
                        rule="erasure_request",
                        reason="Request DPO-2026-031",
                    )
                )
            ],
        )
        assert (await key_of(pool))["wrapped_key"] is not None and await names_read(log) == [NAME]

        caplog.clear()
        with caplog.at_level(logging.INFO, logger="event_log.jobs"):
            await scheduler.run_once()

        assert (await key_of(pool))["wrapped_key"] is None
        assert await names_read(log) == [None]
        metrics = (await client.get("/metrics")).text
        assert 'privacy_erasures_finished_total{service="event-log"} 1.0' in metrics
        assert 'privacy_retention_due{service="event-log"} 1.0' in metrics
        assert 'privacy_retention_held{service="event-log"} 0.0' in metrics
        [line] = [r.getMessage() for r in caplog.records if r.name == "event_log.jobs"]
        assert "1 children's records due for erasure" in line and "1 interrupted erasures finished" in line
        assert not any(secret in line for secret in ("C1", "L1", NAME, "1950"))

        await scheduler.run_once()  # finishing it again changes nothing
        assert (
            'privacy_erasures_finished_total{service="event-log"} 1.0' in (await client.get("/metrics")).text
        )
