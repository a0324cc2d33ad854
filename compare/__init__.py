"""Comparisons: the benchmark harness (:mod:`compare.bench`) and, later, side-by-side apps."""
