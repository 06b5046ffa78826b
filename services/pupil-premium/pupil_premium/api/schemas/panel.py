"""The PP+ panel's decisions on a request: who sat, and the amount, reasons or questions."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pupil_premium.domain.money import PositivePence

from .common import Body, Name, Note

PanelMembers = Annotated[list[Name], Field(min_length=1, max_length=20, description="who sat on the panel")]
Reasons = Annotated[list[Note], Field(min_length=1, max_length=20)]


class _Decision(Body):
    panel_members: PanelMembers


class ApprovalCreate(_Decision):
    reasons: list[Note] = Field(default_factory=list, max_length=20)


class PartApprovalCreate(_Decision):
    amount_approved_pence: PositivePence
    reasons: Reasons


class InformationRequestCreate(_Decision):
    questions: Annotated[list[Note], Field(min_length=1, max_length=20)]


class RefusalCreate(_Decision):
    reasons: Reasons
