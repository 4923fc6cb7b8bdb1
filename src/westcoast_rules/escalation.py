"""The escalation tiers (ESC-1..2)."""

from __future__ import annotations

from westcoast_rules._choices import Numbered

__all__ = ["Tier"]


class Tier(Numbered):
    """Who is working on an incident; escalation moves up one tier at a time (ESC-1, ESC-2).

    >>> Tier.TIER_1.next()
    <Tier.TIER_2: 2>
    """

    TIER_1 = 1
    """Westcoast initial troubleshooting."""
    TIER_2 = 2
    """Westcoast reassessment of the troubleshooting."""
    TIER_3 = 3
    """The relevant Third Party Provider (e.g. Microsoft), engaged by Westcoast."""

    def next(self) -> Tier | None:
        """The tier above this one, or ``None`` at Tier 3, the top (ESC-2)."""
        return Tier(self + 1) if self < Tier.TIER_3 else None
