"""Python translate_batch vs `crossmt bench` on the same lines, same settings (model's beam 4,
the default token budget), model loading excluded, one warm-up then medians of --repeat runs.
The two are run alternately (CLI, Python, Python, CLI) so that a change in the machine's load
hits both; wall and CPU time (all threads of the process) are reported, CPU time being the less
sensitive to other processes on a busy machine. Usage: python3 python/bench/overhead.py [--lines N] [--repeat 3] [--threads 0]
(run with PYTHONPATH=build/python to measure the tree as built)."""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import tempfile
import time

import crossmt

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]


def cli_median(binary, input_path, repeat, threads):
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run([binary, "bench", "-i", input_path, "--to", "de", "--repeat", str(repeat), "--threads",
                        str(threads), "--json", report.name], check=True, capture_output=True)
        with open(report.name) as measured:
            result = json.load(measured)
        return result["median_s"], result["median_cpu_s"]


def python_median(lines, repeat, threads):
    translator = crossmt.Translator(REPOSITORY / "models" / "m30k-mul-marian", threads=threads)
    translator.translate_batch(lines, target_language="de")  # warm-up, as crossmt bench does
    times, cpu_times = [], []
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        translator.translate_batch(lines, target_language="de")
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    return statistics.median(times), statistics.median(cpu_times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", default=str(REPOSITORY / "data" / "multi30k" / "test_2016_flickr.en"))
    parser.add_argument("--lines", type=int, default=0, help="first N lines (0: all)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--binary", default=str(REPOSITORY / "build" / "crossmt"))
    arguments = parser.parse_args()
    lines = pathlib.Path(arguments.input).read_text(encoding="utf-8").splitlines()
    if arguments.lines:
        lines = lines[:arguments.lines]
    with tempfile.NamedTemporaryFile("w", suffix=".en", encoding="utf-8") as subset:
        subset.write("\n".join(lines) + "\n")
        subset.flush()
        cli, python = [], []
        for order in (("cli", "python"), ("python", "cli")):
            for which in order:
                if which == "cli":
                    cli.append(cli_median(arguments.binary, subset.name, arguments.repeat, arguments.threads))
                else:
                    python.append(python_median(lines, arguments.repeat, arguments.threads))
                wall, cpu = (cli if which == "cli" else python)[-1]
                print(f"{which}: medians of {arguments.repeat}: wall {wall:.3f} s, CPU {cpu:.3f} s "
                      f"(load {os.getloadavg()[0]:.2f})", flush=True)
    for index, name in enumerate(("wall", "CPU")):
        cli_total, python_total = sum(m[index] for m in cli), sum(m[index] for m in python)
        print(f"{name}: lines {len(lines)}, threads {arguments.threads or os.cpu_count()}: Python / CLI - 1 = "
              f"{100 * (python_total / cli_total - 1):+.1f}%")


if __name__ == "__main__":
    main()
