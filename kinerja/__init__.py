"""Kinerja: runs the SOPs of Indonesian government performance accountability (SAKIP)."""

__version__ = "0.1.0"
