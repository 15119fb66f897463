"""crossmt.dask on a LocalCluster of 2 worker processes: same output as one process, retries."""
import os

import dask.bag
import pytest
from distributed import Client, LocalCluster, get_task_stream

import crossmt
import crossmt.dask


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("corpus") / "source.en"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def loaded_translators():
    return len(crossmt.dask._translators)


def test_two_worker_processes_give_the_single_process_output(client, corpus, model_path, cli_translations, tmp_path):
    output = tmp_path / "out.de"
    client.register_worker_plugin(crossmt.dask.TranslatorPlugin(model_path))
    with get_task_stream(client) as tasks:
        written = crossmt.dask.translate_file(corpus, output, model_path, target_language="de", client=client,
                                              blocksize=600)
    assert written == 100
    assert output.read_text(encoding="utf-8").split("\n")[:-1] == cli_translations
    # Both processes translated blocks, each with one model loaded for all its partitions.
    assert len({task["worker"] for task in tasks.data}) == 2
    assert sorted(client.run(loaded_translators).values()) == [1, 1]
    assert len(dask.bag.read_text(str(corpus), blocksize=600).to_delayed()) >= 8


def test_bag(client, lines, model_path, cli_translations):
    bag = dask.bag.from_sequence(lines, npartitions=5)
    assert crossmt.dask.translate_bag(bag, model_path, target_language="de").compute() == cli_translations


def test_dataframe_column(client, lines, model_path, cli_translations):
    # pandas is only a Recommends of Debian's python3-dask: apt installs it by default.
    pandas = pytest.importorskip("pandas")
    import dask.dataframe

    frame = dask.dataframe.from_pandas(pandas.DataFrame({"en": lines}), npartitions=3)
    translated = crossmt.dask.translate_series(frame["en"], model_path, target_language="de").compute()
    assert translated.tolist() == cli_translations and list(translated.index) == list(range(100))


def fail_first_partition_once(marker: str):
    """Runs on each worker: the first partition translated anywhere in the cluster (the marker
    file decides which, atomically) translates its lines, then fails."""
    translate_lines = crossmt.dask._original_translate_lines = crossmt.dask._translate_lines

    def failing_once(lines, model_key, options):
        translations = translate_lines(lines, model_key, options)
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return translations
        raise RuntimeError("injected failure after translating the partition")

    crossmt.dask._translate_lines = failing_once


def restore():
    crossmt.dask._translate_lines = crossmt.dask._original_translate_lines


def test_a_failed_partition_is_retried(client, corpus, model_path, cli_translations, tmp_path):
    marker = tmp_path / "failed-once"
    client.run(fail_first_partition_once, str(marker))
    try:
        output = tmp_path / "out.de"
        written = crossmt.dask.translate_file(corpus, output, model_path, target_language="de", client=client,
                                              blocksize=600, retries=1)
        assert marker.exists()  # the failure did happen
        assert written == 100
        assert output.read_text(encoding="utf-8").split("\n")[:-1] == cli_translations

        marker.unlink()
        # A copy: the same file would give the same task keys, whose results may still be cached.
        copy = tmp_path / "copy.en"
        copy.write_bytes(corpus.read_bytes())
        with pytest.raises(RuntimeError, match="injected failure"):
            crossmt.dask.translate_file(copy, tmp_path / "no-retry.de", model_path, target_language="de",
                                        client=client, blocksize=600, retries=0)
        assert not (tmp_path / "no-retry.de").exists()
        assert not [name for name in os.listdir(tmp_path) if name.startswith(".crossmt-")]
    finally:
        client.run(restore)


def test_per_result_options_are_refused(model_path):
    with pytest.raises(crossmt.Error, match="'num_hypotheses' is not accepted"):
        crossmt.dask.translate_bag(dask.bag.from_sequence(["A dog."]), model_path, num_hypotheses=2)
