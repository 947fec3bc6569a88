"""Explainable matching: candidates for a request, a role or a session, ranked with their reasons, and the
same engine the other way round for residents ("things you could help with"). See docs/matching.md."""
