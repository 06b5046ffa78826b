"""Stream names of the streams this service owns ("<category>-<id>", the category has no hyphen)."""

from __future__ import annotations

CHILD = "child"
PEP = "pep"
SCHOOL_CONCERN = "schoolconcern"
COUNCIL_CONFIG = "pepconfig"
ATTENDANCE = "attendance"


def child_stream(child_id: str) -> str:
    """A child's care episodes, school places and school notifications."""
    return f"{CHILD}-{child_id}"


def pep_stream(child_id: str) -> str:
    """All of a child's PEPs, their targets and reviews, and the overdue events raised for them."""
    return f"{PEP}-{child_id}"


def school_concern_stream(source_event_id: str) -> str:
    """The alerts raised for the children at a school after one schools or notices event."""
    return f"{SCHOOL_CONCERN}-{source_event_id}"


def council_config_stream() -> str:
    """The council's term dates and PEP timing policy versions (one council per deployment)."""
    return f"{COUNCIL_CONFIG}-council"


def attendance_stream(child_id: str) -> str:
    """A child's unique pupil number, their attendance marks from every school and the attendance
    alerts raised for them."""
    return f"{ATTENDANCE}-{child_id}"
