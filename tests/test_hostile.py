"""Generated hostile files (evals/hostile.py), each ingested next to a good paper already indexed: each is
rejected with its exact one-line message or ingested with its text intact, and the good paper stays whole.
Time and memory per file are printed by ``python -m evals.hostile``, not asserted here."""

from __future__ import annotations

import pytest

from core.settings import Settings
from evals.hostile import CASES, run_case
from store.index import PanelIndex
from tests.conftest import REPO


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory, embeddings):
    folder = tmp_path_factory.mktemp("hostile")
    settings = Settings.build(index_dir=folder / "index", corpus_dir=REPO / "corpus", max_pages=1000)
    return folder, settings, PanelIndex(settings.store, embeddings)


@pytest.mark.parametrize("case", CASES, ids=[c.file_name for c in CASES])
def test_hostile_file(case, hostile_index):
    folder, settings, index = hostile_index
    outcome = run_case(case, folder / case.file_name.replace("/", "_"), settings, index)
    assert outcome.got == case.expect
    assert outcome.good_whole, "the paper indexed before is untouched"
    if case.expect == "ingested" and case.check:
        assert outcome.text_found, f"{case.check!r} is in the indexed text"
    stored = index.chunks.count()
    assert stored == sum(r.chunks for r in index.documents().values()), "no orphan chunks"
