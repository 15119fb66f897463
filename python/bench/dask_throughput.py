"""crossmt.dask throughput on a LocalCluster: 1 worker process x 1 thread, 1 x 2 threads and
2 processes x 1 thread, on the same file (beam 4, the model's default), medians of --repeat runs
after a warm-up run, the model loaded by TranslatorPlugin before timing. Also one process with
Translator(workers=2, threads=1) vs (workers=1, threads=2), without Dask.
Usage: python3 python/bench/dask_throughput.py [--lines N] [--repeat 3]"""
import argparse
import os
import pathlib
import statistics
import tempfile
import time

from distributed import Client, LocalCluster

import crossmt
import crossmt.dask

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
MODEL = str(REPOSITORY / "models" / "m30k-mul-marian")


def timed(function, repeat):
    function()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", default=str(REPOSITORY / "data" / "multi30k" / "test_2016_flickr.en"))
    parser.add_argument("--lines", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--blocksize", default="4KiB")
    arguments = parser.parse_args()
    lines = pathlib.Path(arguments.input).read_text(encoding="utf-8").splitlines()
    if arguments.lines:
        lines = lines[:arguments.lines]
    with tempfile.TemporaryDirectory() as directory:
        source = pathlib.Path(directory) / "source.en"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        output = pathlib.Path(directory) / "out.de"
        for processes, threads in ((1, 1), (1, 2), (2, 1)):
            with LocalCluster(n_workers=processes, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                client.register_worker_plugin(crossmt.dask.TranslatorPlugin(MODEL, threads=threads))
                seconds = timed(lambda: crossmt.dask.translate_file(
                    source, output, MODEL, client=client, blocksize=arguments.blocksize, threads=threads,
                    target_language="de"), arguments.repeat)
            print(f"dask: {processes} process(es) x {threads} thread(s): {seconds:.2f} s, "
                  f"{len(lines) / seconds:.1f} lines/s (load {os.getloadavg()[0]:.2f})", flush=True)
        for workers, threads in ((1, 1), (1, 2), (2, 1)):
            translator = crossmt.Translator(MODEL, workers=workers, threads=threads)
            seconds = timed(lambda: translator.translate_batch(lines, target_language="de", max_batch_size=32),
                            arguments.repeat)
            print(f"Translator(workers={workers}, threads={threads}), batches of 32: {seconds:.2f} s, "
                  f"{len(lines) / seconds:.1f} lines/s (load {os.getloadavg()[0]:.2f})", flush=True)


if __name__ == "__main__":
    main()
