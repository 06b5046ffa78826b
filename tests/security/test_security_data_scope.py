"""A designated teacher sees only children on roll at their own school, and a refusal tells them
nothing about a child who is not theirs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from shared.security.data_scope import (
    OutsideDataScope,
    designated_teacher_urn,
    ensure_designated_teacher_scope,
)
from shared.security.principal import Principal
from shared.security.roles import Role

sys.path.insert(0, str(Path(__file__).parent))
from security_test_app import HOME_URN, OTHER_URN, create_children_table, create_security_test_app  # noqa: E402

TEACHER = Principal(subject="dt-1", role=Role.DESIGNATED_TEACHER, urn=HOME_URN)


def test_a_designated_teacher_passes_for_a_child_on_roll_at_their_school():
    ensure_designated_teacher_scope(TEACHER, HOME_URN)


@pytest.mark.parametrize("urn_on_roll", [OTHER_URN, None, ""])
def test_a_designated_teacher_is_refused_a_child_elsewhere_or_unknown_in_the_same_words(urn_on_roll):
    with pytest.raises(OutsideDataScope) as refused:
        ensure_designated_teacher_scope(TEACHER, urn_on_roll)
    assert refused.value.status == 403
    assert OTHER_URN not in refused.value.detail and HOME_URN not in refused.value.detail


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.DESIGNATED_TEACHER}))
def test_other_roles_are_not_limited_to_a_school(role):
    principal = Principal(subject="someone", role=role)
    ensure_designated_teacher_scope(principal, OTHER_URN)
    ensure_designated_teacher_scope(principal, None)
    assert designated_teacher_urn(principal) is None
    assert designated_teacher_urn(TEACHER) == HOME_URN


@pytest.fixture
async def children(pool):
    await create_children_table(
        pool, [("C-HOME", "Ada Lovelace", HOME_URN), ("C-AWAY", "Grace Hopper", OTHER_URN), ("C-LEFT", "Alan Turing", None)]
    )


async def test_a_designated_teacher_reading_another_schools_child_gets_403_revealing_nothing(
    service_client, auth, children, pool
):
    async with service_client(create_security_test_app) as client:
        teacher = auth("designated_teacher", urn=HOME_URN, sub="dt-1")
        own = await client.get("/children/C-HOME", headers=teacher)
        assert own.status_code == 200 and own.json()["name"] == "Ada Lovelace"

        away = await client.get("/children/C-AWAY", headers=teacher)
        left = await client.get("/children/C-LEFT", headers=teacher)
        unknown = await client.get("/children/C-NOBODY", headers=teacher)
        for refused in (away, left, unknown):
            assert refused.status_code == 403
            told = str({k: v for k, v in refused.json().items() if k != "instance"})  # instance: their own URL
            for secret in ("Grace", "Hopper", OTHER_URN, "C-AWAY", "C-LEFT", "C-NOBODY", "Turing"):
                assert secret not in told
        # Probing ids cannot tell "at another school" from "left" from "no such child".
        assert {k: v for k, v in away.json().items() if k != "instance"} == {
            k: v for k, v in unknown.json().items() if k != "instance"
        } == {k: v for k, v in left.json().items() if k != "instance"}

        listed = await client.get("/children", headers=teacher)
        assert [c["child_id"] for c in listed.json()] == ["C-HOME"]
        officer = await client.get("/children", headers=auth("virtual_school_officer"))
        assert len(officer.json()) == 3
        assert (await client.get("/children/C-AWAY", headers=auth("virtual_school_officer"))).status_code == 200

    # Only the read that was answered is on the audit record.
    subjects = await pool.fetch("SELECT subject FROM eventlog.record_reads WHERE actor = 'dt-1'")
    assert [r["subject"] for r in subjects] == ["child:C-HOME"]
