"""Behavior profiles: evaluated once per task, dealt to instances in a seed-derived cyclic order."""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..lang import ast
from ..lang.loader import LoadedSpec
from .. import diagnostics
from .build import library_path
from .evaluate import Evaluator
from .instantiate import derive_seed
from .model import BehaviorProfile
from .values import Rejection, to_json


@dataclass(frozen=True)
class BehaviorPicker:
    profiles: tuple[BehaviorProfile, ...] = ()

    def pick(self, index: int) -> BehaviorProfile | None:
        """Instance ``index`` gets the next profile of the cycle: balanced, and deterministic."""
        return self.profiles[index % len(self.profiles)] if self.profiles else None

    @classmethod
    def create(cls, spec: LoadedSpec, task: ast.TaskDecl, seed: int) -> tuple[BehaviorPicker, list[Diagnostic]]:
        declared = {b.name.name: (b, s.display_path) for s in spec.closure() for b in s.module.behaviors}
        profiles, problems = [], []
        for position, ident in enumerate(task.behavior_names):
            if ident.name not in declared:
                problems.append(diagnostics.make("unknown-behavior", spec.display_path, ident.span, name=ident.name))
                continue
            profile = _profile(*declared[ident.name], problems)
            key = derive_seed(library_path(spec), task.name.name, seed, "behavior", ident.name, position)
            profiles.append((key, profile))
        ordered = tuple(profile for _, profile in sorted(profiles, key=lambda pair: pair[0]))
        return cls(ordered), problems


def _profile(decl: ast.BehaviorDecl, path: str, problems: list[Diagnostic]) -> BehaviorProfile:
    evaluator, settings = Evaluator(), {}
    for setting in decl.settings:
        try:
            settings[setting.name.name] = to_json(evaluator.eval(setting.value, {}))
        except Rejection as exc:
            problems.append(diagnostics.make("constant-error", path, exc.span or setting.span, detail=exc.detail))
    return BehaviorProfile(name=decl.name.name, settings=settings)
