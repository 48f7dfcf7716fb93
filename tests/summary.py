"""Counters that test modules fill and the terminal summary prints (conftest.py)."""

from collections import Counter

HOSTILE = Counter()  # requests the hostile-input suite sent, and how many got a 5xx
