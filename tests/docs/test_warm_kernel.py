"""Warm kernels: forked from a zygote that imported Keras, yet isolated like fresh kernels."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

import nbformat
import pytest
from lstm_site import warm_kernel
from lstm_site.warm_kernel import KERNEL_NAME, install_kernel_spec, kernel_spec
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


@pytest.fixture(scope="module")
def jupyter_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("jupyter")
    install_kernel_spec(folder)
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(folder)
    yield folder
    if saved is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = saved


def client(cells: list[str], kernel: str, cwd) -> NotebookClient:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    return NotebookClient(
        notebook, kernel_name=kernel, timeout=120, resources={"metadata": {"path": str(cwd)}}
    )


def outputs(executed: NotebookClient) -> list[list[dict]]:
    return [
        [{k: v for k, v in out.items() if k != "execution_count"} for out in cell.outputs]
        for cell in executed.nb.cells
    ]


def run(cells: list[str], kernel: str, cwd) -> list[list[dict]]:
    executed = client(cells, kernel, cwd)
    executed.execute()
    return outputs(executed)


PROBE = [
    "import os, sys\nimport keras, numpy as np",
    "keras.layers.LSTM(2).name, keras.layers.Dense(1).name",
    "keras.config.floatx(), keras.config.backend()",
    "'polluted' in globals()",
    (
        "keras.utils.set_random_seed(1)\n"
        "inputs = keras.Input(shape=(3, 1))\n"
        "model = keras.Model(inputs, keras.layers.LSTM(3, return_state=True)(inputs))\n"
        "print(model.predict(np.ones((1, 3, 1)), verbose=0))"
    ),
    "print('to stdout'); print('to stderr', file=sys.stderr)",
    "os.getcwd() == os.environ['PROBE_CWD']",
]


def test_kernel_spec_file(tmp_path):
    folder = install_kernel_spec(tmp_path)
    assert folder == tmp_path / "kernels" / KERNEL_NAME
    assert json.loads((folder / "kernel.json").read_text()) == kernel_spec()


def test_provisioner_is_registered():
    from jupyter_client.provisioning import KernelProvisionerFactory

    factory = KernelProvisionerFactory.instance()
    spec = type("Spec", (), {"metadata": kernel_spec()["metadata"]})()
    assert factory.is_provisioner_available(spec)


def test_outputs_identical_to_a_fresh_kernel(jupyter_path, tmp_path, monkeypatch):
    monkeypatch.setenv("PROBE_CWD", str(tmp_path))
    plain, warm = client(PROBE, "python3", tmp_path), client(PROBE, KERNEL_NAME, tmp_path)

    async def both() -> None:  # at once: each spends most of its time importing Keras
        await asyncio.gather(plain.async_execute(), warm.async_execute())

    asyncio.run(both())
    plain, warm = outputs(plain), outputs(warm)
    assert warm == plain
    assert plain[1][0]["data"]["text/plain"] == "('lstm', 'dense')"
    assert plain[3][0]["data"]["text/plain"] == "False"
    assert plain[6][0]["data"]["text/plain"] == "True"


def test_pages_cannot_see_each_other(jupyter_path, tmp_path):
    first = run(
        [
            (
                "import os, keras\npolluted = 1\nkeras.config.set_floatx('float64')\n"
                "[keras.layers.LSTM(1) for _ in range(3)][-1].name, os.getpid()"
            )
        ],
        KERNEL_NAME,
        tmp_path,
    )
    second = run(
        [
            (
                "import os, keras\n"
                "('polluted' in globals(), keras.config.floatx(), keras.layers.LSTM(1).name, os.getpid())"
            )
        ],
        KERNEL_NAME,
        tmp_path,
    )
    name, first_pid = eval(first[0][0]["data"]["text/plain"])
    polluted, floatx, second_name, second_pid = eval(second[0][0]["data"]["text/plain"])
    assert name == "lstm_2"
    assert (polluted, floatx, second_name) == (False, "float32", "lstm")
    assert first_pid != second_pid


def test_a_failing_cell_fails_as_in_a_fresh_kernel(jupyter_path, tmp_path):
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        run(["1 / 0"], KERNEL_NAME, tmp_path)


@pytest.fixture(scope="module")
def bare_zygote():
    """A zygote that imports nothing before it forks: these tests are of the protocol and
    the handles, not of what a kernel has imported, so none pays for importing Keras."""
    zygote = warm_kernel._Zygote(preload=())
    yield zygote
    zygote.close()


def test_kernel_process_handle_kill(tmp_path, bare_zygote):
    """A running kernel, killed through its handle, reports death by SIGKILL."""
    from jupyter_client.connect import write_connection_file

    connection, _ = write_connection_file(str(tmp_path / "kernel.json"))
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", connection]
    pid = bare_zygote.request(op="spawn", argv=argv, env=dict(os.environ), cwd=".")["pid"]
    handle = warm_kernel.ForkedKernelProcess(pid, bare_zygote)
    assert handle.poll() is None  # serving, until killed
    handle.kill()
    assert handle.wait(timeout=30) == -signal.SIGKILL
    assert handle.poll() == handle.returncode == -signal.SIGKILL


def test_kernel_process_handle_failed_start(bare_zygote):
    """A kernel that cannot start (bad arguments) exits with status 1, not by a signal."""
    argv = ["python", "-m", "ipykernel_launcher", "--no-such-option=1"]
    pid = bare_zygote.request(op="spawn", argv=argv, env=dict(os.environ), cwd=".")["pid"]
    handle = warm_kernel.ForkedKernelProcess(pid, bare_zygote)
    assert handle.wait(timeout=30) == 1


def test_a_forked_process_starts_a_zygote_of_its_own():
    """Sphinx's parallel read forks its readers: requests from two processes on one pair
    of pipes would read each other's replies, so a fork never uses its parent's zygote."""
    zygote = warm_kernel._Zygote(preload=())
    try:
        with pytest.raises(RuntimeError, match="unknown op"):
            zygote.request(op="dance")
        parents = zygote._process.pid
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through the pipe
            try:
                try:
                    zygote.request(op="dance")
                    message = "no error"
                except RuntimeError as error:
                    message = str(error)
                os.write(write, json.dumps([zygote._process.pid, message]).encode())
                zygote.close()
            finally:
                os._exit(0)
        os.close(write)
        childs, message = json.loads(os.read(read, 4096))
        os.close(read)
        os.waitpid(pid, 0)
        assert childs != parents
        assert "unknown op 'dance'" in message
        with pytest.raises(RuntimeError, match="unknown op"):  # the parent's still answers
            zygote.request(op="dance")
        assert zygote._process.pid == parents
    finally:
        zygote.close()


def test_unknown_request(bare_zygote):
    with pytest.raises(RuntimeError, match="unknown op 'dance'"):
        bare_zygote.request(op="dance")


def test_polling_a_pid_the_zygote_did_not_fork_is_an_error(bare_zygote):
    """No exit status is made up for it: 0 would say a kernel exited cleanly."""
    with pytest.raises(RuntimeError, match=f"no kernel with pid {os.getpid()}"):
        warm_kernel.ForkedKernelProcess(os.getpid(), bare_zygote).poll()


def test_module_attributes():
    from importlib.metadata import entry_points

    from jupyter_client.provisioning import LocalProvisioner

    [entry_point] = entry_points(
        group="jupyter_client.kernel_provisioners", name=warm_kernel.PROVISIONER_NAME
    )
    provisioner = entry_point.load()
    assert provisioner is warm_kernel.WarmKernelProvisioner  # built once, on first use
    assert issubclass(provisioner, LocalProvisioner)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        _ = warm_kernel.nope
