"""``writ env new NAME``: a working environment to start from, with a spec library that uses it.

The files come from the templates in ``scaffold/`` (``${env}`` stands for the name). Under the
chosen root they are laid out as ``envs/NAME/`` (tools, result shapes, database generator,
policy, tests) and ``specs/NAME/`` (an example task), with ``specs/writ.toml`` marking the
spec library's root when it is not there yet. Nothing that exists is overwritten.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from ..errors import InputError

TEMPLATES = Path(__file__).resolve().parent / "scaffold"
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class Scaffold:
    name: str
    envs: Path  # the folder to pass as --env-path
    specs: Path  # the folder of the example spec
    files: tuple[Path, ...]


def new_environment(name: str, root: str | Path = ".") -> Scaffold:
    """Write the scaffold of environment ``name`` under ``root``; InputError if the name or a file is taken."""
    if not _NAME.fullmatch(name) or keyword.iskeyword(name):
        raise InputError(f"'{name}' is not a usable environment name (lower-case letters, digits and _, "
                         "starting with a letter)")
    root = Path(root)
    envs, specs = root / "envs", root / "specs"
    planned = _planned(name, envs / name, specs)
    taken = [str(target) for target in planned if target.exists()]
    if (envs / name).exists() or taken:
        raise InputError(f"{envs / name} already exists; choose another name or --root")
    for target, template in planned.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(Template(template.read_text(encoding="utf-8")).substitute(env=name), encoding="utf-8")
    return Scaffold(name, envs, specs / name, tuple(planned))


def _planned(name: str, env_dir: Path, specs: Path) -> dict[Path, Path]:
    planned: dict[Path, Path] = {}
    for template in sorted((TEMPLATES / "env").rglob("*.tmpl")):
        relative = template.relative_to(TEMPLATES / "env").with_suffix("")
        if relative.name == "test_env.py":
            relative = relative.with_name(f"test_{name}.py")
        planned[env_dir / relative] = template
    for template in sorted((TEMPLATES / "specs").glob("*.writ.tmpl")):
        planned[specs / name / template.with_suffix("").name] = template
    if not (specs / "writ.toml").exists():
        planned[specs / "writ.toml"] = TEMPLATES / "specs" / "writ.toml.tmpl"
    return planned
