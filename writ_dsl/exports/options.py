"""Options shared by the export formats (each format reads the ones it needs)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportOptions:
    validation_share: float = 0.1  # hf: share of templates held out for the validation split
    seed: int = 0  # hf: which templates are held out
