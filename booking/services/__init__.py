"""Use cases: each runs its transaction, calls the pure domain, and writes rows."""
