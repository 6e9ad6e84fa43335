"""``writ synth --dry-run``: how the instances would spread over the templates, without compiling anything.

Loads and checks the specs (so problems show up as in ``writ check``), then
applies the same quota rule as the compiler: ``-n`` instances in all spread
evenly over the selected tasks, or ``--per-task`` each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import api
from . import diagnostics as diag
from .compiler.compile import CompileOptions, task_quotas


@dataclass(frozen=True)
class TemplateShare:
    spec: str
    task: str
    env: str | None
    tags: tuple[str, ...]
    instances: int


@dataclass
class Spread:
    templates: list[TemplateShare] = field(default_factory=list)
    diagnostics: list[diag.Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(t.instances for t in self.templates)

    @property
    def ok(self) -> bool:
        return not diag.has_errors(self.diagnostics)


def spread(paths: Iterable[str | Path], options: CompileOptions) -> Spread:
    loaded = api.load(paths)
    specs = loaded.loaded
    problems = [*loaded.diagnostics, *api.check(specs, env_path=options.env_path)]
    result = Spread(diagnostics=sorted(set(problems), key=diag.Diagnostic.sort_key), sources=loaded.sources)
    quotas = task_quotas(specs, options)
    for spec in specs:
        for task in spec.module.tasks:
            wanted = quotas.get((spec.display_path, task.name.name))
            if wanted is not None:
                tags = tuple(str(tag) for tag in (getattr(task, "tags", None) or ()))
                result.templates.append(TemplateShare(spec.display_path, task.name.name, spec.env_name, tags, wanted))
    return result
