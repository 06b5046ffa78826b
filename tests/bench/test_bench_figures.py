"""The benchmark's rules for what it reports: which figure meets which target, the percentiles it
prints, how its workloads name their streams, and how a copied council is renamed.

The benchmark itself is never run here: it measures, and tests never assert on timing.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from bench import figures, log_bench, log_engines
from bench.figures import MET, MISSED, NOT_MEASURED, Table, Verdicts, at_least, at_most
from bench.rebuild_bench import Renamer, _renamed


def test_the_percentile_is_a_latency_actually_seen_by_nearest_rank():
    latencies = list(range(1, 101))  # 1..100 ms
    assert figures.percentile(latencies, 50) == 50
    assert figures.percentile(latencies, 99) == 99
    assert figures.percentile(latencies, 100) == 100
    assert figures.percentile([7.0, 3.0, 5.0], 50) == 5.0
    # One slow answer in a hundred is the p100, not the p99.
    assert figures.percentile([10.0] * 99 + [5000.0], 99) == 10.0
    assert figures.percentile([10.0] * 98 + [5000.0, 5000.0], 99) == 5000.0


def test_a_percentile_or_median_of_nothing_is_refused_rather_than_made_up():
    with pytest.raises(ValueError):
        figures.percentile([], 99)
    with pytest.raises(ValueError):
        figures.median([])


def test_the_median_of_three_rounds_ignores_one_outlying_round():
    assert figures.median([561.0, 9000.0, 540.0]) == 561.0


def test_a_target_is_met_at_its_threshold_missed_beyond_it_and_unjudged_without_a_figure():
    floor = at_least(20_000, "≥ 20,000 events/s")
    ceiling = at_most(50, "p99 ≤ 50 ms")
    assert floor.verdict(20_000) == MET
    assert floor.verdict(19_999.9) == MISSED
    assert ceiling.verdict(50) == MET
    assert ceiling.verdict(50.1) == MISSED
    assert ceiling.verdict(None) == NOT_MEASURED


def test_verdicts_list_every_miss_by_name_and_count_each_kind():
    verdicts = Verdicts()
    verdicts.judge("8 concurrent writers", at_least(8, "≥ 8×"), 4.4)
    verdicts.judge("32 concurrent writers", at_least(20, "≥ 20×"), 21.0)
    verdicts.judge("timeline p99", at_most(30, "≤ 30 ms"), None)
    assert verdicts.missed == ["8 concurrent writers"]
    assert verdicts.summary() == "1 met, 1 missed, 1 not measured"


def test_a_cell_shows_the_figure_its_target_and_the_verdict_with_misses_in_bold():
    target = at_least(2, "≥ 2× eventsourcing")
    assert figures.cell("0.83", target, 0.83) == "0.83 (target ≥ 2× eventsourcing: **missed**)"
    assert figures.cell("2.10", target, 2.1) == "2.10 (target ≥ 2× eventsourcing: met)"
    assert figures.cell("21,947", None, 21_947) == "21,947"


def test_a_table_escapes_pipes_and_refuses_a_row_of_the_wrong_width():
    table = Table(["query", "p99"])
    table.add("GET /schools?a|b", "12")
    assert table.markdown().splitlines() == ["| query | p99 |", "|---|---|", "| GET /schools?a\\|b | 12 |"]
    with pytest.raises(ValueError):
        table.add("only one cell")


def test_the_log_table_judges_each_workload_against_the_peer_by_its_median():
    results = log_bench.LogResults()
    for name in [w.name for w in log_bench.WORKLOADS] + ["read all"]:
        results.rates[(name, "project")] = [100.0, 120.0, 5.0]
        results.rates[(name, "eventsourcing")] = [100.0, 100.0, 100.0]
        results.rates[(name, "asyncpg")] = [200.0, 200.0, 200.0]
    for engine in log_engines.ENGINES:
        results.fold_ms[engine] = [1.0, 2.0, 3.0]
    results.read_events = 1000
    verdicts = Verdicts()
    text = log_bench.table(results, verdicts)
    # The project's median is 100, the peer's 100: 1.00x wins for one writer, misses 8x for eight.
    assert "single-event appends, 1 writer | 100 | 100 | 200 | 1.00 (target ≥ 1× eventsourcing: met)" in text
    assert "8 concurrent writers, one process" in verdicts.missed
    assert "single-event appends, 1 writer" not in verdicts.missed
    # Batches are judged twice: against the peer and against raw asyncpg (0.50 of it, under 80%).
    assert "0.50 (target ≥ 80% of raw asyncpg: **missed**)" in text
    assert "read all in order, 1,000 events" in verdicts.missed


def test_each_writer_has_streams_of_its_own_and_appends_at_the_version_it_expects():
    work = log_engines.Work("r1", writers=2, appends=120, batch=1)
    assert work.events == 240
    streams = {(w, work.stream(w, i)) for w in range(2) for i in range(120)}
    assert not {s for w, s in streams if w == 0} & {s for w, s in streams if w == 1}
    assert work.stream(0, 0) == work.stream(0, log_engines.STREAMS_PER_WRITER)
    assert [work.expected_version(i) for i in (0, 49, 50, 100)] == [0, 0, 1, 2]
    batches = log_engines.Work("r1", writers=1, appends=3, batch=100)
    assert batches.events == 300
    assert len({batches.stream(0, i) for i in range(3)}) == 3
    assert batches.expected_version(2) == 0


def test_the_engines_take_turns_at_going_first():
    orders = [log_engines.sequence_of(log_engines.ENGINES, r) for r in range(3)]
    assert [order[0] for order in orders] == list(log_engines.ENGINES)
    assert all(sorted(order) == sorted(log_engines.ENGINES) for order in orders)


def _record(stream_id: str, data: dict, subjects: tuple[str, ...]) -> SimpleNamespace:
    return SimpleNamespace(stream_id=stream_id, data=data, subjects=subjects, effective_date=date(2026, 9, 1))


def test_a_copy_of_the_council_renames_its_schools_children_and_requests_but_shares_the_years_budget():
    records = [
        _record("school-200001", {"urn": "200001", "inspection_id": "9200001"}, ("school:200001",)),
        _record("child-Sab12c4", {"child_id": "Sab12c4", "urn": "200001"}, ("child:Sab12c4",)),
        _record("child-Sab12c45", {"child_id": "Sab12c45", "pep_id": "Sab12c45-P1"}, ("child:Sab12c45",)),
        _record("ppbudget-2026-27", {"financial_year": "2026-27", "child_id": "Sab12c4",
                                      "request_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"}, ()),
    ]
    renamer = Renamer(records)
    first, second = renamer.for_copy(1), renamer.for_copy(2)
    copied = [_renamed(r.data, first) for r in records]
    assert copied[0]["urn"] != "200001" and len(copied[0]["urn"]) == 6 and copied[0]["urn"].isdigit()
    assert copied[0]["inspection_id"] == "9" + copied[0]["urn"]
    assert copied[1]["urn"] == copied[0]["urn"]  # one school, the same new URN wherever it is named
    # An identifier that begins another is renamed as a whole, never inside the longer one.
    assert copied[1]["child_id"] == "Sab12c4c1"
    assert copied[2]["child_id"] == "Sab12c45c1"
    assert copied[2]["pep_id"] == "Sab12c45-P1c1"  # an identifier of its own, renamed as a whole
    assert first("made from Sab12c45-X9") == "made from Sab12c45c1-X9"  # one made from a child's id
    assert copied[3]["financial_year"] == "2026-27"
    assert first("ppbudget-2026-27") == "ppbudget-2026-27"
    assert copied[3]["request_id"] != records[3].data["request_id"]
    # Each copy is a council of its own.
    assert _renamed(records[1].data, second)["child_id"] == "Sab12c4c2"
    assert _renamed(records[0].data, second)["urn"] != copied[0]["urn"]
