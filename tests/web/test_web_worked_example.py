"""The integrator's guide's worked example (docs/integrating.md, "A worked example") is run, as
written, against the schools and notices services, and its curl commands are checked to send the
same bodies in the same order: the example an integrator copies always works."""

from __future__ import annotations

import json
import re
import shlex

import httpx
from notices.main import create_app as create_notices
from schools.main import create_app as create_schools

from shared.migrations import REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "integrating.md"
SECTION = "## A worked example"


def example_blocks() -> dict[str, str]:
    """The section's code blocks by language (``sh``, ``python``)."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    following = section.find("\n## ", len(SECTION))
    section = section if following == -1 else section[:following]
    return dict(re.findall(r"```(\w+)\n(.*?)```", section, flags=re.DOTALL))


def curl_bodies(script: str) -> list[dict]:
    """The JSON each curl command sends (``-d '...'``), in order."""
    joined = script.replace("\\\n", " ")
    bodies = []
    for line in joined.splitlines():
        if "curl " not in line:
            continue
        words = shlex.split(line.split("curl ", 1)[1].split("|")[0], posix=True)
        if "-d" in words:
            # A command inside $(...) ends with the parenthesis.
            bodies.append(json.loads(words[words.index("-d") + 1].rstrip(")")))
    return bodies


async def test_the_worked_example_takes_a_warning_notice_from_draft_to_eligibility(service_client, auth):
    blocks = example_blocks()
    namespace: dict = {}
    exec(compile(blocks["python"], f"{GUIDE}#worked-example", "exec"), namespace)  # noqa: S102
    sent: list[dict] = []

    async def record(request: httpx.Request) -> None:
        if request.method == "POST":
            sent.append(json.loads(request.content))

    principal_adviser = auth("principal_adviser", sub="pa.okafor")
    async with service_client(create_schools) as schools, service_client(create_notices) as notices:
        for client in (schools, notices):
            client.headers.update(principal_adviser)
            client.event_hooks["request"].append(record)
        eligible = await namespace["warning_notice_to_eligibility"](schools, notices)
        appointed = await notices.post(
            "/interventions/200001/s64",
            json={"appointed_on": "2026-10-06", "governors": ["Mr C Obi"]},
            headers={"Idempotency-Key": "s64-200001"},
        )

    assert eligible["stage"] == "school_eligible"
    assert appointed.status_code == 200, appointed.text
    assert curl_bodies(blocks["sh"]) == sent[: len(sent) - 1]
