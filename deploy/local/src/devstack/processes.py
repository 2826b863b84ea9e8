"""Shared helpers: detached processes, pid files, waiting, locks."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path


class StackError(RuntimeError):
    """A failure the CLI reports as one line, without a traceback."""


# Children this Python process started: polling them reaps them, otherwise a killed
# broker would linger as a zombie and still look alive to kill(pid, 0).
_children: dict[int, subprocess.Popen[bytes]] = {}
# How reaped children ended (subprocess's returncode: negative for a signal), for the
# supervisor's log line.
_exit_codes: dict[int, int] = {}


def spawn_detached(
    argv: Sequence[str],
    *,
    output: Path,
    cwd: Path,
    env: Mapping[str, str] | None = None,
) -> int:
    """Start a long-running server in its own session (no terminal, no signals from ours)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("ab") as out:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            start_new_session=True,
            close_fds=True,
        )
    _children[proc.pid] = proc
    return proc.pid


def _proc_state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The command name in parentheses may hold spaces; the state follows the last ")".
    return stat.rpartition(")")[2].split()[0] if ")" in stat else ""


def pid_alive(pid: int) -> bool:
    child = _children.get(pid)
    if child is not None:
        returncode = child.poll()
        if returncode is None:
            return True
        # Two threads (a supervisor and its caller) may see the same exit.
        _children.pop(pid, None)
        _exit_codes[pid] = returncode
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _proc_state(pid) not in ("Z", "X")


def exit_status(pid: int) -> int | None:
    """How a child of this process that `pid_alive` saw gone ended; None if not ours."""
    return _exit_codes.pop(pid, None)


def cmdline(pid: int) -> str:
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def wait_until(
    check: Callable[[], bool], *, timeout: float, interval: float = 0.1, what: str
) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise StackError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def wait_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def terminate(pid: int, *, grace: float = 30.0) -> None:
    """SIGTERM, then SIGKILL if it is still there after `grace` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if wait_exit(pid, grace):
        return
    kill_now(pid)


def kill_now(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not wait_exit(pid, 10.0):
        raise StackError(f"process {pid} survived SIGKILL")


def kill_group(pid: int) -> None:
    """SIGKILL to a process and the rest of its process group, then wait for it to go.

    The services run in sessions of their own (`spawn_detached`), so the group is the
    service: with ASN_WORKERS > 1 it holds uvicorn's workers, which would otherwise keep
    the port and fail the restart.
    """
    try:
        group = os.getpgid(pid)
    except ProcessLookupError:
        return
    if group == pid:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    kill_now(pid)


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Serialise concurrent starts (e.g. parallel test sessions) on one state or cache dir."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
