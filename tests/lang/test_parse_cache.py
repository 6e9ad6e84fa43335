"""A file that several specs import is parsed once per process; a changed text is parsed again."""

from __future__ import annotations

from writ_dsl.lang import loader

COMMON = 'behavior calm {\n    description = "calm"\n}\n'
SPEC = 'env airline\nimport "common.writ"\n\ntask t{n} {{\n    behaviors [calm]\n    user {{ reason "r" wants "w" }}\n}}\n'


def test_an_import_shared_by_specs_is_parsed_once(tmp_path, monkeypatch):
    (tmp_path / "writ.toml").write_text("")
    (tmp_path / "common.writ").write_text(COMMON)
    for n in range(3):
        (tmp_path / f"spec{n}.writ").write_text(SPEC.format(n=n))
    parsed: list[str] = []
    real = loader.parse_text
    monkeypatch.setattr(loader, "parse_text", lambda text, path: parsed.append(path) or real(text, path))
    loader._parse_once.cache_clear()
    specs = [loader.load_spec(tmp_path / f"spec{n}.writ")[0] for n in range(3)]
    assert sorted(p.rsplit("/", 1)[-1] for p in parsed) == ["common.writ", "spec0.writ", "spec1.writ", "spec2.writ"]
    assert all(spec.imports[0].module is specs[0].imports[0].module for spec in specs)
    (tmp_path / "common.writ").write_text(COMMON.replace("calm\"", "quiet\""))
    changed, problems = loader.load_spec(tmp_path / "spec0.writ")
    assert not problems and sum(p.endswith("common.writ") for p in parsed) == 2
    assert changed.imports[0].module.behaviors[0].settings[0].value.value == "quiet"
