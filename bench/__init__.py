"""Benchmark suite of the SDK (``make bench`` / ``python -m bench``); never part of the tests."""
