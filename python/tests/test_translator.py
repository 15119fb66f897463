"""crossmt.Translator against the crossmt command, CTranslate2's conventions, threads and errors."""
import math
import threading
import time

import numpy
import pytest

import crossmt
from conftest import run_cli


@pytest.fixture(scope="module")
def translator(model_path):
    return crossmt.Translator(model_path)


def test_translate_batch_equals_cli(translator, lines, cli_translations):
    results = translator.translate_batch(lines, target_language="de")
    assert [result.hypotheses[0] for result in results] == cli_translations
    assert all(len(result.hypotheses) == 1 and result.scores == [] for result in results)


def test_translate_file_equals_cli(translator, lines, cli_translations, tmp_path):
    source = tmp_path / "source.en"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats = translator.translate_file(source, tmp_path / "out.de", target_language="de")
    assert (tmp_path / "out.de").read_text(encoding="utf-8").split("\n")[:-1] == cli_translations
    assert stats.num_examples == 100 and stats.num_tokens > 100


def test_translate_iterable_is_lazy_and_ordered(translator, lines, cli_translations):
    consumed = []

    def source():
        for line in lines:
            consumed.append(line)
            yield line

    results = translator.translate_iterable(source(), target_language="de", max_batch_size=4, buffer_size=7)
    first = next(results)
    assert first.hypotheses[0] == cli_translations[0]
    assert len(consumed) == 7  # one buffer read, not the whole iterable
    assert [first.hypotheses[0]] + [result.hypotheses[0] for result in results] == cli_translations


def test_token_input_as_ctranslate2(translator, lines, cli_translations):
    tokens = [translator.tokenize(line) for line in lines[:20]]
    assert tokens[0][0].startswith("▁")
    results = translator.translate_batch(tokens, target_language="de")
    for result, expected in zip(results, cli_translations):
        pieces = result.hypotheses[0]
        assert isinstance(pieces, list) and "</s>" not in pieces
        assert translator.detokenize(pieces) == expected
    # The language token given as the first piece, CTranslate2 style, instead of target_language.
    with_language = translator.translate_batch([[">>deu<<"] + pieces for pieces in tokens])
    assert [result.hypotheses for result in with_language] == [result.hypotheses for result in results]
    assert translator.tokenize(lines[0], target_language="de") == [">>deu<<"] + tokens[0]


def test_decoding_lengths_count_generated_tokens(translator, lines):
    tokens = [translator.tokenize(line) for line in lines[:10]]
    short = translator.translate_batch(tokens, target_language="de", beam_size=1, max_decoding_length=4)
    # The model's generation config forces </s> as the last allowed token (forced_eos_token_id), as
    # transformers does: at most 3 pieces + </s>.
    assert all(len(result.hypotheses[0]) <= 3 for result in short)
    assert any(len(result.hypotheses[0]) == 3 for result in short)
    long = translator.translate_batch(tokens, target_language="de", beam_size=1, min_decoding_length=40,
                                      max_decoding_length=45)
    assert all(40 <= len(result.hypotheses[0]) <= 45 for result in long)


def test_sampling_topk_one_is_greedy(translator, lines):
    greedy = translator.translate_batch(lines[:20], target_language="de", beam_size=1)
    topk_one = translator.translate_batch(lines[:20], target_language="de", beam_size=1, sampling_topk=1,
                                          sampling_temperature=3.0)
    assert [r.hypotheses for r in topk_one] == [r.hypotheses for r in greedy]
    sampled = [translator.translate_batch(lines[:20], target_language="de", sampling_topk=0, sampling_temperature=3.0,
                                          random_seed=seed) for seed in (7, 7, 8)]
    hypotheses = [[r.hypotheses for r in run] for run in sampled]
    assert hypotheses[0] == hypotheses[1]  # same seed, same samples
    assert hypotheses[0] != [r.hypotheses for r in greedy]
    assert hypotheses[0] != hypotheses[2]


def test_hypotheses_scores_attention_alignment(translator, lines):
    tokens = [translator.tokenize(line) for line in lines[:5]]
    results = translator.translate_batch(tokens, target_language="de", num_hypotheses=2, return_scores=True,
                                         return_attention=True, return_alignment=True)
    for source_pieces, result in zip(tokens, results):
        assert len(result.hypotheses) == len(result.scores) == len(result.attention) == len(result.alignment) == 2
        assert result.scores[0] >= result.scores[1]
        for pieces, attention, alignment in zip(result.hypotheses, result.attention, result.alignment):
            assert len(attention) == len(pieces)  # one row per target piece (no </s>)
            assert all(len(row) == len(source_pieces) for row in attention)  # language token, </s> left out
            assert all(0.0 <= sum(row) <= 1.0 + 1e-5 for row in attention)
            assert alignment and all(isinstance(link, tuple) and 0 <= link[1] < len(pieces) for link in alignment)


def test_score_batch_matches_greedy_scores(translator, lines):
    results = translator.translate_batch(lines[:10], target_language="de", beam_size=1, return_scores=True)
    targets = [result.hypotheses[0] for result in results]
    scored = translator.score_batch(lines[:10], targets, target_language="de")
    for result, scoring in zip(results, scored):
        assert scoring.tokens[-1] == "</s>" and len(scoring.tokens) == len(scoring.log_probs)
        # Greedy scores are the mean log-prob of the generated tokens (length_penalty 1).
        assert math.isclose(sum(scoring.log_probs) / len(scoring.log_probs), result.scores[0], abs_tol=1e-4)
    as_tokens = translator.score_batch([translator.tokenize(line) for line in lines[:10]],
                                       [scoring.tokens for scoring in scored], target_language="de")
    assert [s.log_probs for s in as_tokens] == [s.log_probs for s in scored]


def test_align_equals_cli(translator):
    source, target = "Two dogs play in the snow.", "Zwei Hunde spielen im Schnee."
    alignment = translator.align(source, target, target_language="de")
    cli = run_cli("align", "-m", str(translator.info["path"]), "--to", "de", "--scores", stdin=f"{source} ||| {target}\n")
    pharaoh, total, per_piece = (part.strip() for part in cli.split("|||"))
    assert alignment.pharaoh == pharaoh
    assert alignment.links == [tuple(map(int, link.split("-"))) for link in pharaoh.split()]
    numpy.testing.assert_allclose(alignment.log_probs, [float(x) for x in per_piece.split()], atol=1e-5)
    assert isinstance(alignment.attention, numpy.ndarray) and alignment.attention.dtype == numpy.float32
    assert alignment.attention.shape == (len(alignment.target_tokens), len(alignment.source_tokens)) == (5, 6)
    assert alignment.target_pieces[-1] == "</s>"
    both = translator.align([source, source], [target, "Zwei Hunde."], target_language="de", unit="subword")
    assert len(both) == 2 and both[0].attention.shape[0] == len(both[0].target_pieces) - 1


def test_info(translator, model_path):
    info = translator.info
    assert info["architecture"] == "MarianMTModel" and info["model_type"] == "marian"
    assert info["parameters"] == 10_077_952  # as `crossmt inspect` reports it
    assert set(info["languages"]) >= {"deu", "eng", "fra", "ces"}
    assert info["compute_type"] == "float32" and info["has_tokenizer"]


def test_empty_source_gives_empty_hypotheses(translator):
    results = translator.translate_batch(["", "   ", "A dog."], target_language="de", num_hypotheses=2)
    assert results[0].hypotheses == ["", ""] and results[1].hypotheses == ["", ""]
    assert results[2].hypotheses[0] != ""
    assert translator.translate_batch([]) == []


def test_threads_share_one_translator(model_path, lines):
    shared = crossmt.Translator(model_path, workers=2, threads=1)
    expected = [r.hypotheses[0] for r in shared.translate_batch(lines[:40], target_language="de")]
    outputs = [None] * 8
    failures = []

    def translate(index):
        try:
            # Each thread its own slice and batch size: batching must not change a line's output.
            chunk = lines[index * 5:index * 5 + 5]
            results = shared.translate_batch(chunk, target_language="de", max_batch_size=index % 3 + 1)
            outputs[index] = [r.hypotheses[0] for r in results]
        except Exception as failure:  # reported by the main thread
            failures.append(failure)

    threads = [threading.Thread(target=translate, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert [line for output in outputs for line in output] == expected


def test_gil_is_released_while_translating(translator, lines):
    span = {}

    def translate():
        span["start"] = time.monotonic()
        translator.translate_batch(lines, target_language="de")
        span["end"] = time.monotonic()

    thread = threading.Thread(target=translate)
    ticks = []
    thread.start()
    while thread.is_alive():
        ticks.append(time.monotonic())
    thread.join()
    middle_start = span["start"] + 0.25 * (span["end"] - span["start"])
    middle_end = span["end"] - 0.25 * (span["end"] - span["start"])
    # With the GIL held for the whole call this thread could not run during it at all.
    assert any(middle_start < tick < middle_end for tick in ticks)


@pytest.mark.parametrize("call, message", [
    (lambda t: t.translate_batch(["A dog."], target_language="xx"), 'unknown target language "xx"'),
    (lambda t: t.translate_batch(["A dog."], beam_size=0), "beam_size must be at least 1, got 0"),
    (lambda t: t.translate_batch(["A dog."], beam_size=2, num_hypotheses=3), "num_hypotheses (3) must not exceed"),
    (lambda t: t.translate_batch(["A dog."], beam_size=4, sampling_topk=10), "needs beam_size=1"),
    (lambda t: t.translate_batch(["A dog."], sampling_topp=1.5), "sampling_topp must be in (0, 1]"),
    (lambda t: t.translate_batch(["A dog."], max_decoding_length=0), "max_decoding_length must be at least 1"),
    (lambda t: t.translate_batch(["A dog."], batch_type="sentences"), "batch_type must be 'examples' or 'tokens'"),
    (lambda t: t.translate_batch(["\ud800"]), "source[0]: not encodable as UTF-8"),
    (lambda t: t.score_batch(["A dog."], ["Ein Hund.", "Zwei."]), "1 sources but 2 targets"),
    (lambda t: t.align("A dog.", "Ein Hund.", heads="9"), "head"),
    (lambda t: t.translate_file("/nonexistent/in.txt", "/tmp/out.txt"), "cannot read input file '/nonexistent/in.txt'"),
])
def test_errors_are_one_line_crossmt_errors(translator, call, message):
    with pytest.raises(crossmt.Error) as raised:
        call(translator)
    assert isinstance(raised.value, ValueError)
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_bad_model_and_options(tmp_path, model_path):
    with pytest.raises(crossmt.Error, match="no-model: no such file or directory"):
        crossmt.Translator(tmp_path / "no-model")
    with pytest.raises(crossmt.Error, match="missing"):
        crossmt.Translator(tmp_path)
    with pytest.raises(crossmt.Error, match="unknown compute type 'int4'"):
        crossmt.Translator(model_path, compute_type="int4")
    with pytest.raises(crossmt.Error, match="workers must be at least 1"):
        crossmt.Translator(model_path, workers=0)
    with pytest.raises(crossmt.Error, match="threads per worker must not be negative"):
        crossmt.Translator(model_path, threads=-1)


def test_wrong_types_are_type_errors(translator):
    with pytest.raises(TypeError, match="expected a list of str or a list of token lists"):
        translator.translate_batch("A dog.")
    with pytest.raises(TypeError, match=r"source\[1\]: every item must be a str"):
        translator.translate_batch(["A dog.", ["▁A"]])
    with pytest.raises(TypeError):
        translator.translate_batch(["A dog."], unknown_option=1)


def test_int8_runs(model_path, lines):
    int8 = crossmt.Translator(model_path, compute_type="int8")
    assert int8.info["compute_type"] == "int8"
    expected = run_cli("translate", "-m", model_path, "--to", "de", "--compute-type", "int8", "--quiet",
                       stdin="\n".join(lines[:10]) + "\n").split("\n")[:-1]
    assert [r.hypotheses[0] for r in int8.translate_batch(lines[:10], target_language="de")] == expected

