"""crossmt: neural machine translation of Hugging Face Marian models, with CTranslate2's API shape.

    import crossmt
    translator = crossmt.Translator("models/m30k-mul-marian")
    results = translator.translate_batch(["A man is riding a bike."], target_language="de")
    print(results[0].hypotheses[0])

Errors from the engine (bad model folder, unknown language, bad option values) raise
crossmt.Error, a ValueError subclass carrying crossmt's one-line message.
"""
from __future__ import annotations

import itertools
import os
from typing import Iterable, Iterator, Sequence, Union

from . import _crossmt
from ._crossmt import Alignment, Error, ExecutionStats, ScoringResult, TranslationResult

for _class in (Alignment, Error, ExecutionStats, ScoringResult, TranslationResult):
    _class.__module__ = __name__  # shown as crossmt.Error, not crossmt._crossmt.Error

__all__ = ["Translator", "TranslationResult", "ScoringResult", "Alignment", "ExecutionStats", "Error"]
__version__ = "0.1.0"

# A batch of text lines, or of token lists (SentencePiece pieces) as CTranslate2 takes them.
Source = Union[Sequence[str], Sequence[Sequence[str]]]


class Translator(_crossmt.Translator):
    """A loaded model, shared by any number of Python threads.

    Args:
        model_path: a Hugging Face Marian model folder (config.json, model.safetensors,
            source.spm, target.spm, vocab.json), or an int8 folder from `crossmt quantize`.
        compute_type: "auto" (int8 for an int8 folder, else float32), "float32" or "int8".
        threads: compute (OpenMP) threads of each worker; 0 = the cores divided among the
            workers (CTranslate2's intra_threads).
        workers: batches translated at once, each by its own worker with its own buffers, all
            sharing one copy of the weights (CTranslate2's inter_threads).

    Every method releases the GIL while the model computes.
    """

    def __init__(self, model_path: str | os.PathLike, compute_type: str = "auto", threads: int = 0,
                 workers: int = 1) -> None:
        super().__init__(os.fspath(model_path), compute_type, threads, workers)

    def translate_batch(self, source: Source, *, target_language: str | None = None, beam_size: int | None = None,
                        num_hypotheses: int | None = None, length_penalty: float | None = None,
                        max_decoding_length: int | None = None, min_decoding_length: int | None = None,
                        sampling_topk: int | None = None, sampling_topp: float | None = None,
                        sampling_temperature: float | None = None, no_repeat_ngram_size: int | None = None,
                        repetition_penalty: float | None = None, max_batch_size: int = 0,
                        batch_type: str = "examples", return_scores: bool = False, return_attention: bool = False,
                        return_alignment: bool = False, random_seed: int = 0) -> list[TranslationResult]:
        """Translates a batch; returns one TranslationResult per source, in order.

        Args:
            source: a list of str (tokenized for you; hypotheses are str) or a list of token
                lists as CTranslate2 takes them (SentencePiece pieces of source.spm; hypotheses are
                lists of target pieces without </s>).
            target_language: "de", "deu" or ">>deu<<": the language token put first unless the
                source already starts with one. None: the sources' own tokens.
            beam_size: beams (1 = greedy). None = the model's num_beams.
            num_hypotheses: hypotheses returned per source, at most beam_size (default 1).
            length_penalty: exponent of the length normalisation. None = the model's.
            max_decoding_length: most generated tokens, </s> included. None = the model's.
            min_decoding_length: fewest generated tokens before </s> may come. None = the model's.
            sampling_topk: 1 = no sampling (best token), 0 = sample from the whole vocabulary,
                K = sample from the K best. None = the model's (no sampling unless its
                generation config says do_sample).
            sampling_topp: nucleus mass kept when sampling.
            sampling_temperature: divides the logits when sampling.
            no_repeat_ngram_size: forbid repeating n-grams of this size (0 = off).
            repetition_penalty: penalty on tokens already generated (1 = off).
            max_batch_size: 0 = crossmt's token budget (2048 padded source tokens), else at most
                this many examples (batch_type="examples") or padded tokens ("tokens") per batch.
                Outputs do not depend on it.
            return_scores: fill .scores (transformers' sequences_scores).
            return_attention: fill .attention: per hypothesis, a target-piece x source-piece
                matrix (last decoder layer, heads averaged; language token and </s> left out).
            return_alignment: fill .alignment: per hypothesis, (source word, target word) pairs.
            random_seed: seed of the sampler.

        An empty (or blank) source gives num_hypotheses empty hypotheses.
        """
        return super().translate_batch(
            source, target_language=target_language, beam_size=beam_size, num_hypotheses=num_hypotheses,
            length_penalty=length_penalty, max_decoding_length=max_decoding_length,
            min_decoding_length=min_decoding_length, sampling_topk=sampling_topk, sampling_topp=sampling_topp,
            sampling_temperature=sampling_temperature, no_repeat_ngram_size=no_repeat_ngram_size,
            repetition_penalty=repetition_penalty, max_batch_size=max_batch_size, batch_type=batch_type,
            return_scores=return_scores, return_attention=return_attention, return_alignment=return_alignment,
            random_seed=random_seed)

    def translate_iterable(self, source: Iterable, *, max_batch_size: int = 32, batch_type: str = "examples",
                           buffer_size: int = 1024, **options) -> Iterator[TranslationResult]:
        """Lazily translates an iterable of sources (str or token lists), yielding results in order.

        Reads `buffer_size` sources at a time, translates them with translate_batch (sorted by
        length into batches of `max_batch_size` examples or tokens), and yields their results
        before reading more. `options` are translate_batch's keyword arguments.
        """
        if buffer_size < 1:
            raise Error(f"buffer_size must be at least 1, got {buffer_size}")
        iterator = iter(source)
        while True:
            chunk = list(itertools.islice(iterator, buffer_size))
            if not chunk:
                return
            yield from self.translate_batch(chunk, max_batch_size=max_batch_size, batch_type=batch_type, **options)

    def translate_file(self, input_path: str | os.PathLike, output_path: str | os.PathLike, **options) -> ExecutionStats:
        """Translates a text file line by line into output_path (num_hypotheses lines per line).

        Lines are encoded exactly as `crossmt translate -i` encodes them; `options` are
        translate_batch's keyword arguments except the return_* ones. Returns ExecutionStats.
        """
        return super().translate_file(os.fspath(input_path), os.fspath(output_path), **options)

    def score_batch(self, source: Source, target: Source, *, target_language: str | None = None) -> list[ScoringResult]:
        """Log-prob of each target token given its source (forced decoding).

        `source` and `target` are lists of the same length, of str or of token lists (target
        pieces; </s> is appended when missing). Returns ScoringResult(tokens, log_probs) per pair,
        </s> included.
        """
        return super().score_batch(source, target, target_language=target_language)

    def align(self, source: str | Source, target: str | Source, *, target_language: str | None = None,
              unit: str = "word", layer: int = -1, heads: str = "avg") -> Alignment | list[Alignment]:
        """Alignment of target with source, read from the model's cross-attention.

        `source` and `target` are str (one pair: returns one Alignment) or lists of str or token
        lists (returns a list). unit: "word" or "subword"; layer: decoder layer (negative from the
        end); heads: "avg" or a head index. Alignment.attention is a NumPy float32 array
        [target tokens, source tokens]; .links / .pharaoh the argmax source per target.
        """
        if isinstance(source, str) and isinstance(target, str):
            return super().align([source], [target], target_language=target_language, unit=unit, layer=layer,
                                 heads=heads)[0]
        return super().align(source, target, target_language=target_language, unit=unit, layer=layer, heads=heads)

    def tokenize(self, text: str, *, target_language: str | None = None) -> list[str]:
        """Source SentencePiece pieces of `text` (the language token first when given), as
        translate_batch takes them."""
        return super().tokenize(text, target_language=target_language)

    def detokenize(self, tokens: Sequence[str]) -> str:
        """Text of target pieces, as the hypotheses of token input are decoded."""
        return super().detokenize(tokens)

    @property
    def info(self) -> dict:
        """What the model is: architecture, model_type, parameters, languages, sizes, compute_type."""
        return super().info
