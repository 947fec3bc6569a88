"""Benefit-safe flags: consent, a minimal encrypted benefit profile, rules that flag activity which could
affect a member's benefits for a broker to review, and the member's own view. Flags inform; they never act."""
