"""Shared fixtures: the repository's default model, the test set and the crossmt command."""
import os
import pathlib
import subprocess

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
MODEL = REPOSITORY / "models" / "m30k-mul-marian"
TEST_SET = REPOSITORY / "data" / "multi30k" / "test_2016_flickr.en"
CROSSMT_BINARY = pathlib.Path(os.environ.get("CROSSMT_BINARY", REPOSITORY / "build" / "crossmt"))


@pytest.fixture(scope="session")
def model_path() -> str:
    return str(MODEL)


@pytest.fixture(scope="session")
def lines() -> list[str]:
    """The first 100 lines of test_2016_flickr.en."""
    with open(TEST_SET, encoding="utf-8") as source:
        return [next(source).rstrip("\n") for _ in range(100)]


def run_cli(*arguments: str, stdin: str = "") -> str:
    completed = subprocess.run([str(CROSSMT_BINARY), *arguments], input=stdin, capture_output=True, text=True,
                               check=True)
    return completed.stdout


@pytest.fixture(scope="session")
def cli_translations(lines) -> list[str]:
    """`crossmt translate --to de` of the 100 lines: the reference every Python path must equal."""
    output = run_cli("translate", "-m", str(MODEL), "--to", "de", "--quiet", stdin="\n".join(lines) + "\n")
    translations = output.split("\n")
    assert translations[-1] == ""
    return translations[:-1]
