"""Overdue PEPs are recorded by the deadline scheduler on its own, exactly once per deadline, and
the virtual school sees them (domain.md section 2: "an overdue event is appended on its own")."""

from __future__ import annotations

from datetime import datetime, timezone

URN = "118001"
# The scheduler also runs once when the service starts: start it before any deadline has passed.
BEFORE_ANY_DEADLINE = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)


def overdue_events(records):
    return [r for r in records if r.event_type.endswith("Overdue")]


async def test_a_pep_not_initiated_in_time_is_recorded_overdue_once_even_after_a_restart(
    pep_service, store, clock
):
    clock.set(BEFORE_ANY_DEADLINE)
    async with pep_service() as api:
        await api.set_term_dates()
        # Entered care on 12 October 2026: initiation due 10 working days later, 26 October;
        # in place due 20 working days later, 9 November.
        await api.looked_after_at("C1", URN, entered="2026-10-12", start="2026-10-12")

        clock.set(datetime(2026, 11, 2, 7, 0, tzinfo=timezone.utc))
        first = await api.app.state.scheduler.run_once()
        second = await api.app.state.scheduler.run_once()
        assert (first, second) == (1, 0)
        [initiation] = overdue_events(await store.read_stream("pep-C1"))
        assert initiation.event_type == "PepInitiationOverdue"
        assert initiation.data["due_on"] == "2026-10-26"
        assert initiation.effective_date.isoformat() == "2026-10-27"
        assert initiation.metadata["idempotency_key"] == "pep:overdue:C1:initiation:2026-10-12"

        await api.settle()
        listed = (await api.client.get("/reports/overdue-peps", headers=api.vso)).json()["items"]
        # Overdue from the day after it was due, though the scheduler first ran a week later.
        assert [(o["child_id"], o["kind"], o["due_on"], o["overdue_since"], o["noticed_on"]) for o in listed] == [
            ("C1", "initiation", "2026-10-26", "2026-10-27", "2026-11-02")
        ]

    # Another instance of the service, started later, finds nothing new to record.
    async with pep_service() as restarted:
        assert await restarted.app.state.scheduler.run_once() == 0
    assert len(overdue_events(await store.read_stream("pep-C1"))) == 1


async def test_a_pep_not_in_place_by_its_due_date_counts_as_overdue_in_the_compliance_report(
    pep_service, clock
):
    clock.set(BEFORE_ANY_DEADLINE)
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN, entered="2026-10-12", start="2026-10-12")
        await api.initiate("C1", "P1", 2026, "autumn", "2026-10-14", occasion="initial")

        clock.set(datetime(2026, 11, 10, 8, 0, tzinfo=timezone.utc))
        await api.settle()
        before = (await api.client.get("/reports/pep-compliance?academic_year=2026", headers=api.vsh)).json()
        autumn = before["terms"][0]
        assert (autumn["term"]["name"], autumn["due"], autumn["overdue"], autumn["not_yet_due"]) == (
            "autumn 2026/27",
            1,
            0,
            1,
        )

        assert await api.app.state.scheduler.run_once() == 1
        await api.settle()
        after = (await api.client.get("/reports/pep-compliance?academic_year=2026", headers=api.vsh)).json()
        autumn = after["terms"][0]
        assert (autumn["due"], autumn["overdue"], autumn["completed_in_time"]) == (1, 1, 0)
        assert after["by_school"][0]["urn"] == URN
        assert after["by_school"][0]["overdue"] == 1
        listed = (await api.client.get("/reports/overdue-peps", headers=api.vso)).json()["items"]
        assert [(o["kind"], o["due_on"]) for o in listed] == [("in_place_after_entering_care", "2026-11-09")]
