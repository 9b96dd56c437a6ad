from __future__ import annotations

from kinerja.core.cli import user_named

__all__ = ["user_named"]
