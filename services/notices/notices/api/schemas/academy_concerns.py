"""Request and response bodies of the letters of concern about an academy."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from shared.text import Name, Narrative
from notices.api.schemas.common import Body, Public
from notices.domain import academy_concern as letters


class LetterToTrustCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "sent_on": "2026-10-14",
                    "concerns": [
                        (
                            "Three looked-after children have had fixed-term exclusions this term, with "
                            "no PEP meeting held afterwards."
                        ),
                    ],
                    "trust_name": "Weald Learning Trust",
                },
            ]
        }
    )

    sent_on: date
    concerns: list[Narrative] = Field(max_length=100)
    trust_name: Name | None = Field(default=None, description="When the schools service holds no trust")


class LetterToSecretaryOfStateCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "sent_on": "2026-10-28",
                    "concerns": [
                        (
                            "The trust has not answered the council's letter of 14 October 2026 about "
                            "exclusions of looked-after children."
                        ),
                    ],
                },
            ]
        }
    )

    sent_on: date
    concerns: list[Narrative] = Field(max_length=100)


class AcademyConcernPublic(Public):
    urn: str
    school_name: str
    trust_name: str | None
    letters_to_trust: list[date]
    letters_to_secretary_of_state: list[date]
    version: int

    @classmethod
    def of(cls, urn: str, state: letters.AcademyConcern, version: int) -> AcademyConcernPublic:
        return cls(
            urn=urn,
            school_name=state.school_name,
            trust_name=state.trust_name,
            letters_to_trust=list(state.letters_to_trust),
            letters_to_secretary_of_state=list(state.letters_to_secretary_of_state),
            version=version,
        )
