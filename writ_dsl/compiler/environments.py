"""The environments a compile uses: each domain bound to one database, loaded once per compile."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..env.core import Database, Environment
from ..env.database import load_database
from ..env.registry import load_domain
from .model import DatabaseRef
from .values import DbView

if TYPE_CHECKING:
    from .compile import CompileOptions


class EnvironmentSet:
    def __init__(self, options: CompileOptions) -> None:
        self.options = options
        self._envs: dict[str, Environment] = {}
        self._refs: dict[str, DatabaseRef] = {}
        self._views: dict[str, DbView] = {}
        self._file_db: Database | None = None

    def get(self, name: str) -> Environment:
        if name not in self._envs:
            domain = load_domain(name, self.options.env_path)
            self._envs[name] = domain.environment(self._database(), seed=self.options.db_seed,
                                                  size=self.options.db_size)
        return self._envs[name]

    def add(self, env: Environment) -> None:
        """Use ``env`` (e.g. an in-memory domain) for specs that name it."""
        self._envs[env.name] = env

    def db_ref(self, name: str) -> DatabaseRef:
        if name not in self._refs:
            env, options = self.get(name), self.options
            if options.db_path is not None:
                self._refs[name] = DatabaseRef(source="file", path=str(Path(options.db_path).resolve()),
                                               state_hash=env.db.state_hash())
            else:
                self._refs[name] = DatabaseRef(source="generated", seed=options.db_seed, size=options.db_size,
                                               state_hash=env.db.state_hash())
        return self._refs[name]

    def db_view(self, name: str) -> DbView:
        if name not in self._views:
            self._views[name] = DbView(self.get(name).db)
        return self._views[name]

    def _database(self) -> Database | None:
        if self.options.db_path is None:
            return None
        if self._file_db is None:
            self._file_db = load_database(str(self.options.db_path))
        return self._file_db
