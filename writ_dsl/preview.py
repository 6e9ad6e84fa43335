"""``writ synth --dry-run``: how the instances would spread over the templates, without compiling anything.

Takes checked specs (:func:`writ_dsl.api.check`) and applies the same quota rule as the compiler: ``-n`` instances in all spread
evenly over the selected tasks, or ``--per-task`` each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .compiler.compile import CompileOptions, task_quotas
from .lang.loader import LoadedSpec


@dataclass(frozen=True)
class TemplateShare:
    spec: str
    task: str
    env: str | None
    tags: tuple[str, ...]
    instances: int


@dataclass
class Spread:
    templates: list[TemplateShare]

    @property
    def total(self) -> int:
        return sum(t.instances for t in self.templates)


def spread(specs: Sequence[LoadedSpec], options: CompileOptions) -> Spread:
    result = Spread([])
    quotas = task_quotas(specs, options)
    for spec in specs:
        for task in spec.module.tasks:
            wanted = quotas.get((spec.display_path, task.name.name))
            if wanted is not None:
                tags = tuple(str(tag) for tag in (getattr(task, "tags", None) or ()))
                result.templates.append(TemplateShare(spec.display_path, task.name.name, spec.env_name, tags, wanted))
    return result
