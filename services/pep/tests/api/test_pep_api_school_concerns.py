"""The virtual school is alerted, from the log alone, about exactly the looked-after children on a
school's roll on the day an inspection judged it below good, it was categorised as a concern or it
was given a warning notice (domain.md section 2; seed 002)."""

from __future__ import annotations

from datetime import date

from shared.eventlog.records import NewEvent
from shared.testing.problems import refused

INSPECTED = "118001"
OTHER = "118002"


def below_good_report_card(urn: str, inspected_on: str) -> NewEvent:
    """An InspectionRecorded as the schools service writes it (schools/domain/inspections.py)."""
    return NewEvent(
        event_type="InspectionRecorded",
        data={
            "urn": urn,
            "inspection_id": "INS-1",
            "inspected_on": inspected_on,
            "inspection_type": "graded",
            "framework": "ofsted_report_cards_november_2025",
            "overall_effectiveness": None,
            "judgements": {
                "inclusion": "expected_standard",
                "curriculum_and_teaching": "needs_attention",
                "achievement": "needs_attention",
                "attendance_and_behaviour": "expected_standard",
                "personal_development_and_wellbeing": "strong_standard",
                "leadership_and_governance": "expected_standard",
            },
            "safeguarding": "met",
            "category_of_concern": None,
            "headline_judgement": "needs_attention",
            "below_good": True,
        },
        effective_date=date.fromisoformat(inspected_on),
        subjects=(f"school:{urn}",),
    )


async def test_an_inspection_below_good_alerts_for_exactly_the_children_on_roll_that_day(pep_service, store):
    async with pep_service() as api:
        await api.looked_after_at("ON-ROLL-1", INSPECTED, start="2026-09-07")
        await api.looked_after_at("ON-ROLL-2", INSPECTED, start="2026-09-07")
        await api.looked_after_at("MOVED-AWAY", INSPECTED, start="2026-09-07")
        await api.move("MOVED-AWAY", OTHER, "2026-10-01")
        await api.looked_after_at("ELSEWHERE", OTHER, start="2026-09-07")
        await api.looked_after_at("JOINED-LATER", INSPECTED, start="2026-10-20")
        await api.looked_after_at("LEFT-CARE", INSPECTED, start="2026-09-07")
        await api.ok(
            "POST",
            "/children/LEFT-CARE/leaving-care",
            api.social_worker,
            {"left_care_on": "2026-10-05", "reason": "returned_home"},
        )

        [source] = await store.append(
            f"inspections-{INSPECTED}", [below_good_report_card(INSPECTED, "2026-10-14")]
        )
        await api.settle()

        alerts = (await api.client.get("/alerts", headers=api.vso)).json()["items"]
        assert sorted(a["child_id"] for a in alerts) == ["ON-ROLL-1", "ON-ROLL-2"]
        for alert in alerts:
            assert alert["urn"] == INSPECTED
            assert alert["concern"] == "inspection_below_good"
            assert alert["concern_on"] == "2026-10-14"
            assert alert["children_on_roll"] == ["ON-ROLL-1", "ON-ROLL-2"]
            assert alert["source_event_id"] == str(source.position)
            assert alert["status"] == "raised"
        raised = await store.read_stream(f"schoolconcern-{source.position}")
        assert raised[0].metadata["causation_id"] == str(source.position)

        # Acknowledged, then actioned: the alert's life is recorded too.
        alert_id = f"{source.position}:ON-ROLL-1"
        await api.ok("POST", f"/alerts/{alert_id}/acknowledgement", api.vso, {})
        await api.ok(
            "POST",
            f"/alerts/{alert_id}/action",
            api.vsh,
            {"action": "pep_meeting_brought_forward", "notes": "PEP meeting brought forward to next week"},
        )
        again = await refused(
            api.client, "POST", f"/alerts/{alert_id}/acknowledgement", headers=api.vso, json={},
            status=409, problem_type="alert-already-handled", field="alert_id",
        )
        assert again["detail"] == f"alert {alert_id} is already actioned"
        await api.settle()
        actioned = (await api.client.get("/alerts?status=actioned", headers=api.vsh)).json()["items"]
        assert [(a["alert_id"], a["action"]) for a in actioned] == [(alert_id, "pep_meeting_brought_forward")]


async def test_a_warning_notice_and_a_council_category_alert_but_a_good_inspection_does_not(
    pep_service, store
):
    async with pep_service() as api:
        await api.looked_after_at("C1", INSPECTED, start="2026-09-07")
        good = below_good_report_card(INSPECTED, "2026-10-14")
        good_data = {
            **good.data,
            "judgements": {k: "expected_standard" for k in good.data["judgements"]},
            "headline_judgement": "expected_standard",
            "below_good": False,
        }
        await store.append(
            f"inspections-{INSPECTED}", [NewEvent("InspectionRecorded", good_data, good.effective_date)]
        )
        await store.append(
            f"categorisation-{INSPECTED}",
            [
                NewEvent(
                    "SchoolCategorised",
                    {
                        "urn": INSPECTED,
                        "proposal_id": "CP-1",
                        "category": "requires_improvement",
                        "previous_category": "good",
                        "reasons": ["results fell"],
                        "proposed_by": "sia-1",
                        "proposed_on": "2026-10-19",
                        "approved_by": "pa-1",
                        "categorised_on": "2026-10-20",
                        "review_cycle": "2026-autumn",
                    },
                    date(2026, 10, 20),
                )
            ],
        )
        [notice] = await store.append(
            "notice-WN-1",
            [
                NewEvent(
                    "WarningNoticeGiven",
                    {
                        "urn": INSPECTED,
                        "notice_id": "WN-1",
                        "school_name": "Hill Primary",
                        "given_on": "2026-10-21",
                        "rules": "2016",
                        "compliance_period_ends_on": "2026-11-11",
                    },
                    date(2026, 10, 21),
                )
            ],
        )
        await api.settle()
        alerts = (await api.client.get(f"/alerts?urn={INSPECTED}", headers=api.vso)).json()["items"]
        assert sorted(a["concern"] for a in alerts) == ["council_category_of_concern", "warning_notice"]
        assert {a["child_id"] for a in alerts} == {"C1"}

        # A redelivered event (the policy replayed from an earlier checkpoint) alerts nobody twice.
        await api.app.state.pool.execute(
            "UPDATE pep.subscription_checkpoints SET position = $1 WHERE name = 'pep-school-concerns-policy'",
            notice.position - 1,
        )
        await api.settle()
        assert len(await store.read_stream(f"schoolconcern-{notice.position}")) == 1
