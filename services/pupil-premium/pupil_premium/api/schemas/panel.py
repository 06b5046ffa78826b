"""The PP+ panel's decisions on a request: who sat, and the amount, reasons or questions."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from pupil_premium.domain.money import PositivePence

from .common import Body, Name, Note

PanelMembers = Annotated[list[Name], Field(min_length=1, max_length=20, description="who sat on the panel")]
Reasons = Annotated[list[Note], Field(min_length=1, max_length=20)]


class _Decision(Body):
    panel_members: PanelMembers


class ApprovalCreate(_Decision):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "panel_members": [
                        "Claire Fenton, Virtual School Head",
                        "Raj Patel, finance business partner",
                        "Dr Sue Adams, educational psychologist",
                    ],
                    "reasons": [
                        (
                            "Tutoring is linked to the PEP's reading target and the school will report "
                            "progress at the next PEP."
                        ),
                    ],
                },
            ]
        }
    )

    reasons: list[Note] = Field(default_factory=list, max_length=20)


class PartApprovalCreate(_Decision):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "panel_members": [
                        "Claire Fenton, Virtual School Head",
                        "Raj Patel, finance business partner",
                        "Dr Sue Adams, educational psychologist",
                    ],
                    "amount_approved_pence": 30000,
                    "reasons": [
                        (
                            "Approved for eight sessions; the school's own pupil premium can fund the "
                            "last two."
                        ),
                    ],
                },
            ]
        }
    )

    amount_approved_pence: PositivePence
    reasons: Reasons


class InformationRequestCreate(_Decision):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "panel_members": [
                        "Claire Fenton, Virtual School Head",
                        "Raj Patel, finance business partner",
                        "Dr Sue Adams, educational psychologist",
                    ],
                    "questions": [
                        "Who will deliver the tutoring, and are they a qualified teacher?",
                        "How will the school measure progress against the reading target?",
                    ],
                },
            ]
        }
    )

    questions: Annotated[list[Note], Field(min_length=1, max_length=20)]


class RefusalCreate(_Decision):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "panel_members": [
                        "Claire Fenton, Virtual School Head",
                        "Raj Patel, finance business partner",
                        "Dr Sue Adams, educational psychologist",
                    ],
                    "reasons": [
                        (
                            "A laptop is not linked to any of the child's PEP targets; set a target it "
                            "serves and ask again."
                        ),
                    ],
                },
            ]
        }
    )

    reasons: Reasons
