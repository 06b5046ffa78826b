"""The benchmark command (bench/run): figures for BENCHMARKS.md, never part of the test suite."""
