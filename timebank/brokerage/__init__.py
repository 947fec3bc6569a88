"""Brokerage: the broker's working day, matching, introductions, notes and messages (issue 13)."""
