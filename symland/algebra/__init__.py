"""Exact polynomial algebra for the global claims: polynomial H, the msolve bridge, witnesses."""
