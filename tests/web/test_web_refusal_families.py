"""Every refusal a service's domain defines is its own entry of the problem catalogue, catalogued
for that service with the status and title it answers with, so a new family of refusal cannot be
added without telling calling systems (shared/web/problem_types.py, docs/problems.md)."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

import pytest

from shared.errors import DomainError
from shared.services import SERVICES
from shared.web.problem_types import CATALOGUE
from shared.web.problems import type_of


def domain_errors() -> list[tuple[str, type[DomainError]]]:
    """(service, class) for each DomainError class defined in a module of a service's ``domain``."""
    found = []
    for spec in SERVICES:
        package = spec.app.partition(".")[0]
        if importlib.util.find_spec(f"{package}.domain") is None:
            continue  # a service that decides nothing has no domain
        domain = importlib.import_module(f"{package}.domain")
        for module in pkgutil.walk_packages(domain.__path__, f"{domain.__name__}."):
            imported = importlib.import_module(module.name)
            found += [
                (spec.name, value)
                for value in vars(imported).values()
                if isinstance(value, type)
                and issubclass(value, DomainError)
                and value.__module__ == module.name
            ]
    return found


FAMILIES = domain_errors()


@pytest.mark.parametrize(("service", "family"), FAMILIES, ids=[f"{s}:{c.__name__}" for s, c in FAMILIES])
def test_each_refusal_a_service_defines_is_catalogued_for_it_with_its_status(service, family):
    assert "problem_type" in vars(family), (
        f"{family.__module__}.{family.__name__} names no problem_type of its own: add its family to "
        "shared/web/problem_types.py and name it"
    )
    entry = CATALOGUE.get(family.problem_type)
    assert entry is not None, f"{family.problem_type!r} is not in the problem catalogue"
    assert (entry.status, entry.service, entry.title) == (family.status, service, family.title)
    assert type_of(family("refused")) == family.problem_type


def test_every_service_family_in_the_catalogue_is_raised_by_a_domain_class():
    """The other way round: no entry for a service is left behind by a refusal that was removed."""
    defined = {(service, family.problem_type) for service, family in FAMILIES}
    catalogued = {(entry.service, slug) for slug, entry in CATALOGUE.items() if entry.service is not None}
    assert catalogued == defined
    assert {service for service, _ in defined} == {"schools", "pep", "pupil-premium", "notices", "event-log"}
