"""docs/ARCHITECTURE.md stays true: every setting and every feature package is documented."""

from __future__ import annotations

from pathlib import Path

from webapp.config import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = (ROOT / "docs" / "ARCHITECTURE.md").read_text()


def test_every_setting_is_in_the_config_table():
    missing = [s.name for s in SETTINGS if f"| `{s.name}` |" not in ARCHITECTURE]
    assert missing == []


def test_every_feature_package_is_in_the_package_map():
    packages = sorted(p.name for p in (ROOT / "webapp").iterdir() if (p / "__init__.py").exists())
    missing = [name for name in packages if f"`webapp/{name}/`" not in ARCHITECTURE]
    assert missing == []


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
