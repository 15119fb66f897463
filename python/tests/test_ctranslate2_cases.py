"""The cases of CTranslate2's python/tests/test_translator.py (v4.8.1) that apply to crossmt's
Translator, run on CTranslate2's own test model (an Arabic-to-Latin transliteration Transformer,
tests/data/ctranslate2/v2/aren-transliteration) with CTranslate2's expected values as data.
Not ported: options crossmt does not have (target prefixes, vmap, alternatives, sampling with
CTranslate2's random generator, asynchronous results, token streaming, file translation)."""
import math

import pytest

import crossmt
from conftest import REPOSITORY

MODEL = str(REPOSITORY / "tests" / "data" / "ctranslate2" / "v2" / "aren-transliteration")
ATZMON = ["آ", "ت", "ز", "م", "و", "ن"]
ACHISON = ["آ", "ت", "ش", "ي", "س", "و", "ن"]


@pytest.fixture(scope="module")
def translator():
    return crossmt.Translator(MODEL)


@pytest.mark.parametrize("max_batch_size", [0, 1])
def test_batch_translation(translator, max_batch_size):
    output = translator.translate_batch([ATZMON, ACHISON], max_batch_size=max_batch_size, return_scores=True)
    assert len(output) == 2
    assert output[0].hypotheses == [["a", "t", "z", "m", "o", "n"]]
    assert output[1].hypotheses == [["a", "c", "h", "i", "s", "o", "n"]]
    assert output[0].scores[0] < 0
    assert not output[0].attention


def test_empty_translation(translator):
    assert translator.translate_batch([]) == []


def test_num_hypotheses(translator):
    output = translator.translate_batch([ATZMON], beam_size=4, num_hypotheses=2)
    assert len(output[0].hypotheses) == 2


def test_max_decoding_length(translator):
    output = translator.translate_batch([ATZMON], max_decoding_length=2)
    assert output[0].hypotheses[0] == ["a", "t"]


def test_min_decoding_length(translator):
    output = translator.translate_batch([ATZMON], min_decoding_length=7)
    assert len(output[0].hypotheses[0]) > 6  # 6 is the expected target length


def test_return_attention(translator):
    output = translator.translate_batch([ATZMON], return_attention=True)
    attention = output[0].attention[0]
    # CTranslate2 has one row per target token without </s> (6); crossmt keeps the </s> row.
    assert len(attention) in (6, 7)
    for vector in attention:
        assert len(vector) == 6  # source length
        assert all(isinstance(value, float) for value in vector)


def test_ignore_scores(translator):
    output = translator.translate_batch([ATZMON], beam_size=1, return_scores=False)
    assert not output[0].scores


def test_score_api(translator):
    expected = [
        [-0.106023, -0.065410, -0.056002, -0.447953, -0.230714, -0.092184, -0.063463],
        [-0.072660, -0.300309, -0.181187, -0.395671, -0.025631, -0.123466, -0.002034, -0.012639],
    ]
    results = translator.score_batch([ATZMON, ACHISON], [["a", "t", "z", "m", "o", "n"],
                                                         ["a", "c", "h", "i", "s", "o", "n"]])
    for result, expected_log_probs in zip(results, expected):
        assert len(result.log_probs) == len(expected_log_probs)
        for value, reference in zip(result.log_probs, expected_log_probs):
            assert math.isclose(value, reference, rel_tol=1e-4, abs_tol=1e-6)
