"""One handler per style and the unit test a user writes for it (run by tests/compare).

The report measures each test function (its lines and the framework names its module
imports) and shows what it has to set up.
"""
