"""emutools: scoring, ranking and award proposals for Vietnamese emulation clusters."""

__version__ = "0.2.0"
