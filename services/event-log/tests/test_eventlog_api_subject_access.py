"""Subject access: one answer holding everything the council holds about a child (UK GDPR
Article 15), as JSON and as a printable document: every event about the child, the records the
services fold from them, every read of the child's record, and the child's data-protection record;
never another child's."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

from pep.domain.child_events import ChildEnteredCare, ChildPlacedAtSchool, LegalStatus, SenStatus, YearGroup
from pep.domain.pep_events import PepDraftSaved, PepInitiated, PepOccasion
from pep.domain.terms import TermRef

from shared.privacy.events import LegalHoldPlaced, privacy_stream
from shared.security.roles import Role

from event_log.api.subject_access import prefers_html
from event_log.queries import subject_access

from eventlog_api_support import new, raw

NAME = "Ottoline Brackenbury-Voss"
NEEDS = "Reading is a strength; needs help settling after contact visits"
OTHER_NAME = "Peregrine Second-Child"
ROUTE = "/privacy/children/{child}/subject-access"
SOCIAL_WORKER = {"actor": "sw-jones", "role": "social_worker", "service": "pep"}
DPO = {"actor": "dpo-sam", "role": "data_protection_officer", "service": "event-log"}
HTML = {"Accept": "text/html"}
ALLOWED = ("data_protection_officer", "virtual_school_head", "auditor")


def entered_care(child_id: str, name: str) -> ChildEnteredCare:
    return ChildEnteredCare(
        child_id=child_id,
        name=name,
        date_of_birth=date(2014, 3, 1),
        entered_care_on=date(2024, 6, 1),
        legal_status=LegalStatus.FULL_CARE_ORDER,
        placing_authority="Medway",
        social_worker="SW One",
        carer="Carer One",
        independent_reviewing_officer="IRO One",
        sen_status=SenStatus.NONE,
        year_group=YearGroup.YEAR_5,
    )


def placed(child_id: str) -> ChildPlacedAtSchool:
    return ChildPlacedAtSchool(
        child_id=child_id,
        urn="100001",
        start_date=date(2024, 9, 2),
        year_group=YearGroup.YEAR_5,
        looked_after=True,
    )


async def write_two_children(log, *, name: str = NAME) -> None:
    """C1's care, school place, PEP and legal hold; C2's care and school place; a PP+ payment run
    naming both; and an inspection of their school, which is about neither of them."""
    await log.append("child-C1", [new(entered_care("C1", name)), new(placed("C1"))], metadata=SOCIAL_WORKER)
    term = TermRef(academic_year=2024, season="autumn")
    await log.append(
        "pep-C1",
        [
            new(
                PepInitiated(
                    child_id="C1",
                    urn="100001",
                    pep_id="P1",
                    term=term,
                    occasion=PepOccasion.INITIAL,
                    initiated_on=date(2024, 9, 10),
                )
            ),
            new(
                PepDraftSaved(
                    child_id="C1",
                    urn="100001",
                    pep_id="P1",
                    term=term,
                    saved_on=date(2024, 9, 20),
                    strengths_and_needs=NEEDS,
                )
            ),
        ],
        metadata=SOCIAL_WORKER,
    )
    await log.append(
        "child-C2", [new(entered_care("C2", OTHER_NAME)), new(placed("C2"))], metadata=SOCIAL_WORKER
    )
    await log.append(
        "inspections-100001",
        [
            raw(
                "InspectionRecorded",
                {"urn": "100001", "label": "good"},
                date(2024, 10, 1),
                ("school:100001",),
            )
        ],
    )
    await log.append(
        "ppbudget-2024-25",
        [
            raw(
                "PaymentRunScheduled",
                {"run_id": "R1", "payments": [{"school_urn": "100001", "child_ids": ["C1", "C2"]}]},
                date(2024, 11, 1),
                ("school:100001", "child:C1", "child:C2"),
            )
        ],
    )
    await log.append(
        privacy_stream("child:C1"),
        [
            new(
                LegalHoldPlaced(
                    subject="child:C1",
                    hold_id="H1",
                    placed_on=date(2025, 1, 6),
                    reason="complaint under investigation",
                )
            )
        ],
        metadata=DPO,
    )


async def bulk_read(pool, request_id: str, subjects: list[str]) -> int:
    return await pool.fetchval(
        "INSERT INTO eventlog.bulk_reads (read_at, actor, role, service, route, request_id, first_position, "
        "last_position, events, subjects) "
        "VALUES ($1, 'finance-system', 'service', 'event-log', 'GET /feed', $2, 1, 9, 9, $3) RETURNING id",
        datetime(2026, 10, 1, 9, 30, tzinfo=timezone.utc),
        request_id,
        subjects,
    )


async def test_the_report_holds_every_event_about_the_child_every_read_of_their_record_and_no_other_childs(
    client, auth, log, pool, monkeypatch
):
    # The history is read a page at a time: small pages here, so the report must gather them all.
    monkeypatch.setattr(subject_access, "PAGE", 2)
    await write_two_children(log)
    timeline = await client.get("/children/C1/timeline", headers=auth("auditor", sub="auditor-jo"))
    state = await client.get("/children/C1/state", headers=auth("virtual_school_head", sub="vsh-pat"))
    other = await client.get("/children/C2/timeline", headers=auth("auditor", sub="auditor-jo"))
    assert (timeline.status_code, state.status_code, other.status_code) == (200, 200, 200)
    both = await bulk_read(pool, "bulk-both", ["child:C1", "child:C2"])
    await bulk_read(pool, "bulk-other-only", ["child:C2"])

    answer = await client.get(
        ROUTE.format(child="C1"), headers=auth("data_protection_officer", sub="dpo-sam")
    )

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    report = answer.json()
    held = await pool.fetch(
        "SELECT position, event_type FROM eventlog.events WHERE subjects @> ARRAY['child:C1'] "
        "ORDER BY position"
    )
    assert [(e["position"], e["type"]) for e in report["events"]] == [
        (r["position"], r["event_type"]) for r in held
    ]
    assert len(held) == 6
    by_type = {e["type"]: e for e in report["events"]}
    assert by_type["ChildEnteredCare"]["data"]["name"] == NAME  # opened, not the sealed envelope
    assert by_type["ChildEnteredCare"]["recorded_by"] == SOCIAL_WORKER
    assert by_type["ChildEnteredCare"]["effective_date"] == "2024-06-01"
    assert by_type["PepDraftSaved"]["data"]["strengths_and_needs"] == NEEDS
    assert by_type["PepDraftSaved"]["stream_id"] == "pep-C1"
    payment = by_type["PaymentRunScheduled"]
    assert payment["data"]["payments"][0]["child_ids"] == ["C1", "withheld: another child"]
    assert payment["subjects"] == ["school:100001", "child:C1"] and payment["other_children_withheld"] == 1

    records = {r["stream_id"]: r for r in report["records"]}
    assert set(records) == {"child-C1", "pep-C1"}
    assert records["child-C1"]["state"] == state.json()["streams"][0]["state"]  # folded as /state folds it
    assert records["child-C1"]["state"]["name"] == NAME
    assert records["pep-C1"]["state"]["peps"]["P1"]["strengths_and_needs"] == NEEDS

    reads = await pool.fetch(
        "SELECT id, actor, route FROM eventlog.record_reads WHERE subject = 'child:C1' ORDER BY id"
    )
    assert [(r["id"], r["actor"], r["route"]) for r in reads] == [
        (reads[0]["id"], "auditor-jo", "GET /children/{child_id}/timeline"),
        (reads[1]["id"], "vsh-pat", "GET /children/{child_id}/state"),
        (reads[2]["id"], "dpo-sam", "GET /privacy/children/{child_id}/subject-access"),  # the report itself
    ]
    assert [(r["id"], r["actor"], r["route"]) for r in report["record_reads"]] == [tuple(r) for r in reads]
    # Every answer of events that included the child: the timelines read above (C2's holds the
    # payment run that names C1 too) and the bulk read of both, never the one of C2 alone.
    included = await pool.fetch(
        "SELECT id FROM eventlog.bulk_reads WHERE subjects @> ARRAY['child:C1'] ORDER BY read_at, id"
    )
    assert [r["id"] for r in report["bulk_reads"]] == [r["id"] for r in included]
    assert both in [r["id"] for r in included] and len(included) == 3
    [shown] = [r for r in report["bulk_reads"] if r["id"] == both]
    assert shown["request_id"] == "bulk-both" and "subjects" not in shown

    [hold] = report["data_protection"]["legal_holds"]
    assert (hold["type"], hold["data"]["hold_id"], hold["recorded_by"]["actor"]) == (
        "LegalHoldPlaced",
        "H1",
        "dpo-sam",
    )
    assert (
        report["data_protection"]["erasures"] == [] and report["data_protection"]["key_destroyed_at"] is None
    )
    assert report["notifications"]["items"] == [] and "No notifications" in report["notifications"]["summary"]
    assert report["produced_by"] == {"actor": "dpo-sam", "role": "data_protection_officer"}
    assert report["log_position"] == await pool.fetchval("SELECT max(position) FROM eventlog.events")

    assert "C2" not in answer.text and OTHER_NAME not in answer.text, "another child's data leaked"


async def test_the_printable_document_holds_the_same_events_and_reads_and_nothing_of_another_childs(
    client, auth, log, pool
):
    await write_two_children(log)
    await client.get("/children/C1/timeline", headers=auth("auditor", sub="auditor-jo"))
    await client.get("/children/C2/timeline", headers=auth("auditor", sub="auditor-jo"))
    await bulk_read(pool, "bulk-both", ["child:C1", "child:C2"])
    await bulk_read(pool, "bulk-other-only", ["child:C2"])

    answer = await client.get(ROUTE.format(child="C1"), headers={**auth("virtual_school_head"), **HTML})

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["vary"] == "Accept"
    document = answer.text
    assert document.startswith("<!DOCTYPE html>")
    positions = await pool.fetch("SELECT position FROM eventlog.events WHERE subjects @> ARRAY['child:C1']")
    cells = [int(p) for p in re.findall(r"<tr><td>(\d+)</td>", document)]
    assert cells == sorted(r["position"] for r in positions)
    for shown in (
        "Child entered care",
        "Pep draft saved",
        "Payment run scheduled",
        "Legal hold placed",
        NAME,
        NEEDS,
    ):
        assert shown in document
    requests = await pool.fetch(
        "SELECT request_id FROM eventlog.record_reads WHERE subject = 'child:C1' ORDER BY id"
    )
    assert len(requests) == 2  # the timeline, and this document
    for read in requests:
        assert read["request_id"] in document
    assert "bulk-both" in document and "bulk-other-only" not in document
    assert "C2" not in document and OTHER_NAME not in document, "another child's data leaked"
    assert "No notifications sent about this child are held" in document


async def test_every_value_in_the_document_is_escaped_and_it_loads_nothing_from_elsewhere(client, auth, log):
    await write_two_children(log, name="<script>alert(1)</script>")

    answer = await client.get(ROUTE.format(child="C1"), headers={**auth("auditor"), **HTML})

    document = answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "<script" not in document.lower()
    for fetched in ("http://", "https://", "src=", "<link", "@import", "url("):
        assert fetched not in document.lower(), f"the document loads something ({fetched})"


async def test_once_the_key_is_destroyed_the_report_still_answers_with_personal_fields_marked_erased(
    client, auth, log, pool
):
    await write_two_children(log)
    await pool.execute(
        "UPDATE eventlog.subject_keys SET wrapped_key = NULL, erased_at = now() WHERE subject = 'child:C1'"
    )

    answer = await client.get(ROUTE.format(child="C1"), headers=auth("data_protection_officer"))

    assert answer.status_code == 200, answer.text
    report = answer.json()
    entered = next(e for e in report["events"] if e["type"] == "ChildEnteredCare")
    assert set(entered["erased"]) == {
        "name",
        "date_of_birth",
        "social_worker",
        "carer",
        "independent_reviewing_officer",
    }
    assert entered["data"]["name"] is None and entered["data"]["legal_status"] == "full_care_order"
    child = next(r for r in report["records"] if r["stream_id"] == "child-C1")
    assert child["replayable"] and child["state"]["name"] is None and "name" in child["erased"]
    assert report["data_protection"]["key_destroyed_at"] is not None
    assert NAME not in answer.text and NEEDS not in answer.text

    document = (
        await client.get(ROUTE.format(child="C1"), headers={**auth("data_protection_officer"), **HTML})
    ).text
    assert NAME not in document and NEEDS not in document
    # Each erased field of the events (5 on entering care, the PEP's strengths and needs) and of the
    # records (the child's 5, the PEP's 1) reads "erased".
    assert document.count('<span class="erased">erased</span>') == 12
    assert "The child's personal data was erased" in document

    # Another child's record is untouched.
    other = (await client.get(ROUTE.format(child="C2"), headers=auth("auditor"))).json()
    assert next(e for e in other["events"] if e["type"] == "ChildEnteredCare")["data"]["name"] == OTHER_NAME


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.SERVICE}, key=lambda r: r.value))
async def test_only_the_data_protection_officer_the_virtual_school_head_and_auditors_may_ask(
    client, auth, log, role
):
    await write_two_children(log)
    answer = await client.get(ROUTE.format(child="C1"), headers=auth(role.value, urn="100001"))
    assert answer.status_code == (200 if role.value in ALLOWED else 403), answer.text


async def test_no_service_account_may_ask_and_nor_may_anyone_without_a_token(client, auth, log):
    await write_two_children(log)
    feed = auth("service", scopes=["event-log:read"])
    assert (await client.get(ROUTE.format(child="C1"), headers=feed)).status_code == 403
    assert (await client.get(ROUTE.format(child="C1"))).status_code == 401


async def test_a_child_the_log_knows_nothing_about_is_not_found_and_no_read_is_recorded(
    client, auth, log, pool
):
    await write_two_children(log)
    answer = await client.get(ROUTE.format(child="C9"), headers=auth("data_protection_officer"))
    assert answer.status_code == 404
    assert answer.json()["field"] == "child_id" and answer.json()["type"] == "/problems/not-found"
    assert await pool.fetchval("SELECT count(*) FROM eventlog.record_reads") == 0
    malformed = await client.get(ROUTE.format(child="C 1"), headers=auth("data_protection_officer"))
    assert malformed.status_code == 422 and malformed.json()["field"] == "child_id"


@pytest.mark.parametrize(
    "accept, html",
    [
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("text/html", True),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),  # a browser
        ("application/json, text/html", False),
        ("text/html;q=0.5, application/json", False),
        ("text/html;q=0", False),
        ("text/html;q=nonsense", False),
    ],
)
def test_html_is_given_only_to_a_caller_who_prefers_it_to_json(accept, html):
    assert prefers_html(accept) is html


async def test_a_child_named_only_in_other_records_still_gets_a_report_saying_no_record_of_their_own_is_kept(
    client, auth, log
):
    await write_two_children(log)
    await log.append(
        "ppbudget-2024-25",
        [raw("PaymentRunScheduled", {"run_id": "R2", "child_ids": ["C3"]}, date(2024, 12, 1), ("child:C3",))],
    )

    report = (await client.get(ROUTE.format(child="C3"), headers=auth("auditor"))).json()
    document = (await client.get(ROUTE.format(child="C3"), headers={**auth("auditor"), **HTML})).text

    assert [e["data"]["run_id"] for e in report["events"]] == ["R2"] and report["records"] == []
    assert "No service keeps a record of the child's own" in document
