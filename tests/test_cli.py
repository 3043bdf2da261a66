"""The `panel-papers` command as a person runs it: help everywhere, ingest, stats, search, remove."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from evals import pdf_factory as make


def run(*args, env_index=None, check=True):
    env = dict(os.environ)
    if env_index:
        env["PANEL_INDEX_DIR"] = str(env_index)
    result = subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, env=env)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("command", ["ingest", "stats", "remove", "search"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.stdout.startswith(f"usage: panel-papers {command}")


def test_ingest_stats_search_remove(tmp_path):
    index_dir = tmp_path / "idx"
    pdf = make.text_pdf(tmp_path / "cpp-minutes.pdf", [
        "CORPORATE PARENTING PANEL\nMINUTES of a meeting of the Corporate Parenting Panel held on "
        "Friday, 22 November 2019.\n40. Virtual School Kent\n(Item 6)\n1. The headteacher presented "
        "exam results of children in care.\n2. It was RESOLVED that the report be noted.",
        "41. Missing Children\n(Item 7)\n1. Return home interviews were discussed.\n"
        "2. It was RESOLVED that a further report come to the next meeting.",
    ])
    out = run("ingest", "--quiet", str(pdf), env_index=index_dir).stdout
    assert "1 documents ingested, 0 unchanged, 0 failed; 2 pages" in out and "2 decisions" in out

    stats = json.loads(run("stats", "--json", env_index=index_dir).stdout)
    assert (stats["documents"], stats["pages"], stats["decisions"]) == (1, 2, 2)
    assert stats["last_ingest"]

    hits = json.loads(run("search", "return interviews for missing children", "--json", "-k", "2",
                          env_index=index_dir).stdout)
    assert hits[0]["page"] == 2 and hits[0]["minute"] == "41" and hits[0]["meeting_date"] == "2019-11-22"
    text = run("search", "exam results", env_index=index_dir).stdout
    assert "page 1" in text and "meeting 2019-11-22" in text

    assert "removed cpp-minutes.pdf" in run("remove", "cpp-minutes.pdf", env_index=index_dir).stdout
    assert json.loads(run("stats", "--json", env_index=index_dir).stdout)["documents"] == 0
    missing = run("remove", "cpp-minutes.pdf", env_index=index_dir, check=False)
    assert missing.returncode == 1 and "not in the index" in missing.stderr


@pytest.mark.parametrize("query,reason", [("   ", "the question is empty"), ("x" * 5000, "too long")])
def test_absurd_queries_get_a_clear_error(tmp_path, query, reason):
    result = run("search", query, env_index=tmp_path / "idx", check=False)
    assert result.returncode == 2 and reason in result.stderr
