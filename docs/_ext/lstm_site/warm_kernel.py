"""Jupyter kernels that start with Keras already imported, for fast executed-docs builds.

Every page of the site runs in a Jupyter kernel of its own, and importing
TensorFlow takes seconds. A docs build that starts a plain kernel per page pays
that import once per page. Here a *zygote* process imports the heavy modules
once, without running any computation, and every kernel is a ``fork()`` of it:

- each page still gets a new process, with a fresh namespace and Keras's global
  state (name counters, RNG seeds, ``floatx``) exactly as it was right after
  ``import keras``, so pages cannot see each other;
- the import is shared, so a kernel is ready in a fraction of a second.

It plugs into Jupyter as a *kernel provisioner* (``jupyter_client``'s extension
point, registered in ``pyproject.toml``) behind a kernelspec named
:data:`KERNEL_NAME`; the docs configuration maps the pages' ``python3``
kernelspec to it with MyST-NB's ``nb_kernel_rgx_aliases``. A page opened in
Jupyter still uses a plain ``python3`` kernel.

The zygote must stay single-threaded and must not initialise a device before it
forks: it only imports modules, and TensorFlow/JAX/PyTorch set their runtimes
up lazily, at the first computation, inside each kernel.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

#: Name of the kernelspec whose kernels are forked from the zygote.
KERNEL_NAME: Final[str] = "lstm-states-warm"
#: Name of the provisioner entry point (``jupyter_client.kernel_provisioners``).
PROVISIONER_NAME: Final[str] = "lstm-states-warm-provisioner"

#: Modules the zygote imports before it forks. Not ``matplotlib``: it reads its
#: backend from the environment when imported, which the kernel sets up later.
PRELOAD: Final[tuple[str, ...]] = (
    "numpy",
    "keras",
    "IPython",
    "ipykernel.ipkernel",
    "ipykernel.kernelapp",
    "ipykernel.zmqshell",
)


def kernel_spec(python: str | None = None) -> dict[str, Any]:
    """The ``kernel.json`` of the warm kernelspec.

    Its ``argv`` is a plain ipykernel command line: the provisioner runs it in a
    fork of the zygote instead of a new interpreter.

    >>> spec = kernel_spec("python3")
    >>> spec["argv"]
    ['python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}']
    >>> spec["metadata"]["kernel_provisioner"]["provisioner_name"]
    'lstm-states-warm-provisioner'
    """
    return {
        "argv": [python or sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Keras preloaded)",
        "language": "python",
        "metadata": {
            "debugger": False,
            "kernel_provisioner": {"provisioner_name": PROVISIONER_NAME},
        },
    }


def install_kernel_spec(jupyter_dir: str | os.PathLike[str]) -> Path:
    """Write the warm kernelspec under ``jupyter_dir/kernels/`` and return its folder.

    Put ``jupyter_dir`` on ``JUPYTER_PATH`` so that Jupyter finds it.

    >>> import tempfile
    >>> folder = install_kernel_spec(tempfile.mkdtemp())
    >>> folder.name, (folder / "kernel.json").is_file()
    ('lstm-states-warm', True)
    """
    folder = Path(jupyter_dir) / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps(kernel_spec(), indent=2) + "\n")
    return folder


# --- the zygote: runs in its own process -----------------------------------------


def _zygote_main(preload: Sequence[str]) -> None:  # pragma: no cover - runs in a subprocess
    """Import ``preload``, then fork a kernel for each request read from stdin.

    Requests and replies are JSON lines: ``spawn`` (argv, env, cwd) -> pid;
    ``poll`` (pid) -> returncode, or null while it runs, or an error for a pid it did
    not fork; ``signal`` (pid, signum).
    """
    requests, replies = sys.stdin, os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything printed by imports goes to stderr, not into the protocol
    for name in preload:
        importlib.import_module(name)
    children: dict[int, int | None] = {}

    def reap() -> None:
        for pid, code in list(children.items()):
            if code is None:
                with contextlib.suppress(ChildProcessError):
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        children[pid] = os.waitstatus_to_exitcode(status)

    replies.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in requests:
        request = json.loads(line)
        reap()
        op = request["op"]
        if op == "spawn":
            pid = os.fork()
            if pid == 0:
                replies.close()  # the kernel must not hold the protocol pipe open
                _run_kernel(request["argv"], request["env"], request["cwd"])
            children[pid] = None
            reply: dict[str, Any] = {"pid": pid}
        elif op == "poll":
            # A pid this zygote did not fork has no status to report: not None
            # (running, so a wait would never end), nor an exit code it never had.
            if request["pid"] in children:
                reply = {"returncode": children[request["pid"]]}
            else:
                reply = {"error": f"no kernel with pid {request['pid']} was forked here"}
        elif op == "signal":
            _signal(request["pid"], request["signum"])
            reply = {}
        else:
            reply = {"error": f"unknown op {op!r}"}
        replies.write(json.dumps(reply) + "\n")
    for pid, code in children.items():  # stdin closed: the build is over
        if code is None:
            _signal(pid, signal.SIGKILL)


def _signal(pid: int, signum: int) -> None:  # pragma: no cover - runs in the zygote
    """Signal a kernel's process group, or the kernel alone if it has not made one yet."""
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def _run_kernel(argv: list[str], env: dict[str, str], cwd: str) -> None:  # pragma: no cover
    """In the forked child: become an ipykernel with the given arguments, then exit."""
    status = 1
    try:
        os.setsid()
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        from ipykernel.kernelapp import IPKernelApp

        # argv is ["python", "-m", "ipykernel_launcher", "-f", "<file>", ...]
        arguments = argv[3:] if argv[1:3] == ["-m", "ipykernel_launcher"] else argv[1:]
        sys.argv = ["ipykernel_launcher", *arguments]
        options = [
            # exit if the zygote (our parent) goes away, like a kernel whose launcher died
            f"--IPKernelApp.parent_handle={os.getppid()}",
            # the kernel talks to the build over local TCP; its start-up notice about
            # unencrypted transport is not news for a local build
            "--IPKernelApp.log_level=ERROR",
        ]
        IPKernelApp.launch_instance(argv=[*arguments, *options])
        status = 0
    finally:
        os._exit(status)


class _Zygote:
    """A process's handle on its zygote subprocess (started on first use).

    One zygote per process: Sphinx's parallel read (``-j``) forks its reading
    processes from the main one, and requests from several processes on one pair of
    pipes would interleave, each reading another's reply. A forked process that
    inherited the handle starts a zygote of its own (and leaves the inherited pipes
    to the process that owns them).
    """

    def __init__(self, preload: Sequence[str] = PRELOAD) -> None:
        #: what the zygote imports before it forks (none: a zygote that starts at once)
        self.preload = tuple(preload)
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._ready = False
        # the parent's zygote, as a forked child inherits it: kept, never used or closed
        self._inherited: list[subprocess.Popen[str]] = []
        atexit.register(self.close)
        os.register_at_fork(after_in_child=self._forget_after_fork)

    def _forget_after_fork(self) -> None:
        """In a forked child: the parent's zygote and its pipes are not this process's."""
        self._lock = threading.Lock()
        if self._process is not None:
            self._inherited.append(self._process)
        self._process, self._ready = None, False

    def request(self, **message: Any) -> dict[str, Any]:
        with self._lock:
            process = self._ensure_started()
            assert process.stdin is not None
            assert process.stdout is not None
            process.stdin.write(json.dumps(message) + "\n")
            process.stdin.flush()
            line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the kernel zygote exited with code {process.poll()}")
        reply: dict[str, Any] = json.loads(line)
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply

    def start(self) -> None:
        """Start the zygote now, without waiting for its imports (they overlap other work)."""
        with self._lock:
            self._start()

    def _start(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "lstm_site.warm_kernel", *self.preload],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
            self._ready = False
        return self._process

    def _ensure_started(self) -> subprocess.Popen[str]:
        process = self._start()
        assert process.stdout is not None
        if not self._ready:
            if not process.stdout.readline():
                raise RuntimeError(
                    f"the kernel zygote failed to start (exit code {process.wait()}); "
                    "its error is printed above"
                )
            self._ready = True
        return process

    def close(self) -> None:
        """Stop the zygote (its kernels with it) and close the pipes to it."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            assert process.stdin is not None
            process.stdin.close()  # the zygote kills its kernels and exits
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()


ZYGOTE: Final[_Zygote] = _Zygote()


class ForkedKernelProcess:
    """A ``Popen``-like handle on a kernel forked by the zygote (not our child)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, zygote: _Zygote = ZYGOTE) -> None:
        self.pid = pid
        self._zygote = zygote
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """None while the kernel runs, then its exit status (as jupyter_client expects).

        Raises RuntimeError if the zygote did not fork this pid (it was restarted since).
        """
        if self.returncode is None:
            self.returncode = self._zygote.request(op="poll", pid=self.pid)["returncode"]
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.05)
        return code

    def send_signal(self, signum: int) -> None:
        self._zygote.request(op="signal", pid=self.pid, signum=int(signum))

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _provisioner_class() -> type:
    from jupyter_client.connect import KernelConnectionInfo
    from jupyter_client.provisioning import LocalProvisioner

    class WarmKernelProvisioner(LocalProvisioner):  # type: ignore[misc]
        """Launches each kernel as a fork of the zygote instead of a new interpreter."""

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
            env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
            cwd = str(kwargs.get("cwd") or Path.cwd())
            pid = ZYGOTE.request(op="spawn", argv=list(cmd), env=env, cwd=cwd)["pid"]
            self.process = ForkedKernelProcess(pid)
            self.pid = self.pgid = pid
            self.cwd = cwd
            return self.connection_info

        async def send_signal(self, signum: int) -> None:
            if self.process:
                self.process.send_signal(signum)

    return WarmKernelProvisioner


def __getattr__(name: str) -> Any:
    # The provisioner subclasses jupyter_client's, imported only when Jupyter asks for it.
    if name == "WarmKernelProvisioner":
        value = _provisioner_class()
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover
    _zygote_main(sys.argv[1:])
