"""Fixtures for fuzzing every service through its own OpenAPI document (see
contract_services.py for what runs where and the environment variables that bound a run)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from contract_services import FuzzedServices  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "contract: fuzzes a service through its OpenAPI document (tests/contract; bounded, slowish)",
    )


@pytest.fixture(scope="module")
def fuzzed_services(
    postgres_url: str, template_database: str, signing_keys: tuple[Path, Path]
) -> Iterator[FuzzedServices]:
    """The service whose operation is being fuzzed, running; one at a time, each on a database
    of its own, dropped when the next service starts or the module ends."""
    private_path, public_path = signing_keys
    services = FuzzedServices(
        postgres_url=postgres_url,
        template_database=template_database,
        public_key_path=str(public_path),
        private_key=private_path.read_bytes(),
    )
    try:
        yield services
    finally:
        services.stop()
