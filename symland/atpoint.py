"""Moved to :mod:`symland.point.landscape` (kept so that old imports work)."""

from symland.point.landscape import HESSIAN_LIMIT, KERNEL_LIMIT, TIERS, PointReport, landscape_at  # noqa: F401

__all__ = ["PointReport", "landscape_at", "TIERS"]
