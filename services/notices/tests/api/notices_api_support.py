"""Helpers shared by the notices API tests."""

from __future__ import annotations

from shared.testing.fixtures import settle


async def settled(app) -> None:
    """Wait until every subscription has applied everything, including what reactions appended."""
    while True:
        head = await app.state.store.head_position()
        await settle(app)
        if await app.state.store.head_position() == head:
            return


async def fire_deadlines(app) -> int:
    """What the scheduler does each interval, once the read model is current."""
    await settled(app)
    fired = await app.state.scheduler.run_once()
    await settled(app)
    return fired


def low_standards_notice(urn: str, **changes) -> dict:
    body = {
        "urn": urn,
        "grounds": ["low_standards", "breakdown_in_management_or_governance"],
        "low_standards_basis": ["expected_attainment", "comparable_schools"],
        "concerns": [
            "Key stage 2 reading, writing and mathematics well below comparable schools for three years",
            "Governors have not challenged leaders on the use of the pupil premium",
        ],
        "required_actions": [
            "Commission an external review of governance and act on it",
            "Put in place a costed plan to raise attainment in reading",
        ],
        "powers_minded_to_use": ["s63_require_arrangements", "s65_interim_executive_board"],
    }
    return {**body, **changes}
