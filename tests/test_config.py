from pathlib import Path

import pytest

from citra import config
from citra.errors import ConfigError

ORG = 'Pemerintah Kota "Patriot" Bekasi'


def test_init_writes_a_commented_valid_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITRA_DATABASE_URL", raising=False)
    ws = config.init(tmp_path / "ws", ORG)
    text = (tmp_path / "ws" / "citra.toml").read_text(encoding="utf-8")
    assert "# Leaders whose image is tracked" in text and "[retention]" in text
    assert ws.settings.organisation == ORG and ws.settings.timezone == "Asia/Jakarta"
    assert ws.database_url == f"sqlite:///{tmp_path / 'ws' / 'citra.db'}"
    assert ws.rejects_dir.is_dir()
    with pytest.raises(ConfigError, match="already exists"):
        config.init(tmp_path / "ws", ORG)


def test_full_settings_and_environment_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "citra.toml").write_text(
        """
organisation = "Pemerintah Kota Bekasi"
timezone = "Asia/Makassar"
database_url = "postgresql://citra@db/citra"
keywords = ["bekasi", "pemkot bekasi"]
[accounts]
twitter = ["@HumasKotaBekasi"]
ig = ["humaskotabekasi"]
[[leaders]]
name = "Budi Santoso"
role = "Wali Kota"
aliases = ["pak budi", "walkot"]
[[entities]]
name = "Kota Depok"
aliases = ["depok"]
[[feeds]]
name = "Berita"
url = "https://example.org/rss"
[retention]
posts_days = 365
""",
        encoding="utf-8",
    )
    monkeypatch.delenv("CITRA_DATABASE_URL", raising=False)
    ws = config.load(tmp_path)
    assert ws.database_url == "postgresql://citra@db/citra" and str(ws.tz) == "Asia/Makassar"
    assert ws.official_handles() == {("x", "humaskotabekasi"), ("instagram", "humaskotabekasi")}
    assert ws.settings.leaders[0].aliases == ["pak budi", "walkot"] and ws.settings.retention.posts_days == 365
    monkeypatch.setenv("CITRA_DATABASE_URL", "sqlite:///elsewhere.db")
    assert config.load(tmp_path).database_url == "sqlite:///elsewhere.db"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("organisation = ", "not valid TOML"),
        ('organisation = "X"\ntimezone = "Mars/Olympus"', "unknown time zone"),
        ('organisation = "X"\n[accounts]\nmyspace = ["a"]', "unknown platform"),
        ('organisation = "X"\ncolour = "red"', "colour"),
        ('timezone = "Asia/Jakarta"', "organisation"),
    ],
)
def test_invalid_settings_say_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "citra.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        config.load(tmp_path)


def test_missing_workspace_tells_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="citra init"):
        config.load(tmp_path)
