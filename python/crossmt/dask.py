"""Corpus translation on a Dask cluster.

Each worker process loads the model once (a per-process cache, keyed by the model and its
options; TranslatorPlugin loads it when the worker starts) and translates the partitions it
holds. A partition's translation is a pure function of its lines: when a task fails, or its
worker dies, Dask runs it again and its result replaces the lost one, so no line is lost or
written twice. Order and line count are those of the input.

    from distributed import Client
    import crossmt.dask
    client = Client("tcp://scheduler:8786")          # or LocalCluster(n_workers=2, threads_per_worker=1)
    crossmt.dask.translate_file("corpus.en", "corpus.de", "models/m30k-mul-marian",
                                target_language="de", client=client)

The model folder and the input file must be readable at the same path on every worker.
"""
from __future__ import annotations

import os
import tempfile
import threading
from typing import Any

import dask
import dask.bag

import crossmt

__all__ = ["translate_bag", "translate_series", "translate_file", "translator_for", "TranslatorPlugin"]

# Per-process Translators: every task of a worker process shares one loaded model.
_translators: dict[tuple, crossmt.Translator] = {}
_translators_lock = threading.Lock()

# translate_batch arguments that make no sense for a corpus (one output line per input line).
_PER_RESULT_OPTIONS = ("num_hypotheses", "return_scores", "return_attention", "return_alignment")


def _model_key(model_path, compute_type: str, threads: int, workers: int) -> tuple:
    return (os.path.abspath(os.fspath(model_path)), compute_type, threads, workers)


def translator_for(model_path, compute_type: str = "auto", threads: int = 0, workers: int = 1) -> crossmt.Translator:
    """This process's Translator for a model and options, loaded on first use.

    threads=0 lets each worker process use its OpenMP default: Dask's nanny starts worker
    processes with OMP_NUM_THREADS=1, so N worker processes on N cores do not oversubscribe.
    """
    key = _model_key(model_path, compute_type, threads, workers)
    with _translators_lock:
        translator = _translators.get(key)
        if translator is None:
            translator = _translators[key] = crossmt.Translator(key[0], compute_type, threads, workers)
        return translator


try:
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # dask without distributed: the plugin is only a plain class then
    _WorkerPlugin = object


class TranslatorPlugin(_WorkerPlugin):
    """A distributed WorkerPlugin that loads the model when each worker starts, so that the first
    partition does not pay for loading: client.register_worker_plugin(TranslatorPlugin(path))."""

    name = "crossmt-translator"

    def __init__(self, model_path, compute_type: str = "auto", threads: int = 0, workers: int = 1):
        self.model_key = _model_key(model_path, compute_type, threads, workers)

    def setup(self, worker=None):
        translator_for(*self.model_key)

    def teardown(self, worker=None):
        pass


def _check_options(options: dict) -> None:
    for name in _PER_RESULT_OPTIONS:
        if name in options:
            raise crossmt.Error(f"crossmt.dask translates one line per line; '{name}' is not accepted")


def _without_line_end(line: str) -> str:
    # As `crossmt translate` reads lines: the "\n", then one "\r" (CRLF files).
    if line.endswith("\n"):
        line = line[:-1]
    return line[:-1] if line.endswith("\r") else line


def _translate_lines(lines, model_key: tuple, options: dict) -> list[str]:
    """One partition: lines (str, a trailing newline allowed) to their translations."""
    texts = [_without_line_end(line) for line in lines]
    if not texts:
        return []
    results = translator_for(*model_key).translate_batch(texts, **options)
    return [result.hypotheses[0] for result in results]


def translate_bag(bag: dask.bag.Bag, model_path, *, compute_type: str = "auto", threads: int = 0, workers: int = 1,
                  **options: Any) -> dask.bag.Bag:
    """A Bag of translations, partition for partition and line for line, of a Bag of lines.

    options: translate_batch's keyword arguments (target_language, beam_size, ...).
    """
    _check_options(options)
    key = _model_key(model_path, compute_type, threads, workers)
    return bag.map_partitions(_translate_lines, key, options)


def _translate_pandas(series, model_key: tuple, options: dict):
    import pandas

    return pandas.Series(_translate_lines(series.tolist(), model_key, options), index=series.index,
                         name=series.name, dtype=object)


def translate_series(series, model_path, *, compute_type: str = "auto", threads: int = 0, workers: int = 1,
                     **options: Any):
    """Translations of a dask DataFrame column (a dask Series of str), with the same index."""
    _check_options(options)
    key = _model_key(model_path, compute_type, threads, workers)
    return series.map_partitions(_translate_pandas, key, options, meta=(series.name, object))


def translate_file(input_path, output_path, model_path, *, client=None, blocksize: int | str = "64KiB",
                   retries: int = 2, compute_type: str = "auto", threads: int = 0, workers: int = 1,
                   **options: Any) -> int:
    """Translates a text file over a cluster into output_path, one line per input line.

    The input is cut into blocks of about `blocksize` bytes at line ends (dask.bag.read_text);
    each block is read and translated on a worker. The client writes the results in input order
    to a temporary file next to output_path, renamed over it once complete. A failed block is
    run again up to `retries` times. client: a distributed Client; None = the current default
    client, or Dask's local scheduler when there is none. Returns the number of lines written.
    """
    input_path, output_path = os.fspath(input_path), os.fspath(output_path)
    if not os.path.isfile(input_path):
        raise crossmt.Error(f"cannot read input file '{input_path}'")
    if os.path.getsize(input_path) == 0:
        partitions = []
    else:
        lines = dask.bag.read_text(input_path, blocksize=blocksize, encoding="utf-8")
        partitions = translate_bag(lines, model_path, compute_type=compute_type, threads=threads, workers=workers,
                                   **options).to_delayed()
    if client is None:
        try:
            from distributed import default_client

            client = default_client()
        except (ImportError, ValueError):
            client = None
    output_dir = os.path.dirname(os.path.abspath(output_path))
    written = 0
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=output_dir, prefix=".crossmt-", delete=False) as out:
        try:
            if client is None:
                results = iter(dask.compute(*partitions))
            else:
                # Results are fetched one by one, in order; each is dropped from the cluster once written.
                futures = client.compute(partitions, retries=retries)
                results = (futures.pop(0).result() for _ in range(len(futures)))
            for translations in results:
                for translation in translations:
                    out.write(translation)
                    out.write("\n")
                written += len(translations)
        except BaseException:
            out.close()
            os.unlink(out.name)
            raise
    os.replace(out.name, output_path)
    return written
