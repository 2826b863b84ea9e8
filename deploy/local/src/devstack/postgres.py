"""A project-local PostgreSQL 15 cluster run from the machine's server binaries."""

from __future__ import annotations

import hashlib
import os
import pwd
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from devstack.config import StackConfig
from devstack.processes import StackError, file_lock, pid_alive, port_in_use, tail, wait_until

MISSING_POSTGRES = (
    "PostgreSQL 15 server binaries not found: "
    "install Debian's postgresql-15 (apt-get install postgresql-15)"
)
PG_BINDIRS = (Path("/usr/lib/postgresql/15/bin"),)
_TOOLS = ("initdb", "pg_ctl", "postgres", "psql", "pg_isready")
DATABASE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,62}")
# Where the cluster goes when root runs us from a folder the server's user cannot enter;
# /var/tmp survives reboots, unlike /tmp on many machines.
FALLBACK_BASE = Path("/var/tmp/devstack-postgres")  # noqa: S108 -- checked in _fallback_base
# sockaddr_un holds 107 bytes; the socket file's own name adds 16 to the folder.
_MAX_SOCKET_DIR = 90


def _major_version(bindir: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(bindir / "postgres"), "--version"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(match.group(1)) if match else None


def find_pg_bindir(path: str | None = None, candidates: Sequence[Path] | None = None) -> Path:
    """The PostgreSQL 15 server binaries: Debian's folder, else what `pg_config --bindir` says."""
    dirs = list(PG_BINDIRS if candidates is None else candidates)
    pg_config = shutil.which("pg_config", path=path)
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            dirs.append(Path(out.stdout.strip()))
    for bindir in dirs:
        if all((bindir / tool).is_file() for tool in _TOOLS) and _major_version(bindir) == 15:
            return bindir
    raise StackError(MISSING_POSTGRES)


def render_postgres_conf(port: int, socket_dir: Path | None) -> str:
    sockets = str(socket_dir) if socket_dir is not None else ""
    return "\n".join(
        [
            "# Written by devstack at every start; edits here are lost.",
            "listen_addresses = '127.0.0.1'",
            f"port = {port}",
            f"unix_socket_directories = '{sockets}'",
            "max_connections = 200",
            "shared_buffers = 128MB",
            "# Kept on: timings measured here should mean something in production.",
            "fsync = on",
            "synchronous_commit = on",
            "log_line_prefix = '%m [%p] %q%u@%d '",
            "",
        ]
    )


def check_database_names(names: Iterable[str]) -> None:
    for name in names:
        if not DATABASE_NAME.fullmatch(name):
            raise StackError(f"invalid database name: {name!r}")


def create_databases_sql(names: Sequence[str]) -> str:
    """One psql script that creates only the missing ones (CREATE DATABASE has no IF NOT EXISTS)."""
    check_database_names(names)
    array = ", ".join(f"'{name}'" for name in dict.fromkeys(names))
    return (
        # Names are checked above: plain identifiers, nothing to escape.
        "SELECT format('CREATE DATABASE %I', name)\n"  # noqa: S608
        f"FROM unnest(ARRAY[{array}]::text[]) AS name\n"
        "WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = name)\n"
        "\\gexec\n"
    )


def _fallback_base() -> Path:
    FALLBACK_BASE.mkdir(parents=True, exist_ok=True)
    info = FALLBACK_BASE.lstat()
    # /var/tmp is world-writable: refuse a folder someone else planted there.
    if FALLBACK_BASE.is_symlink() or info.st_uid != os.geteuid():
        raise StackError(f"{FALLBACK_BASE} is not a folder of ours: remove it")
    FALLBACK_BASE.chmod(0o755)
    return FALLBACK_BASE


def _clean_env() -> dict[str, str]:
    # A PGDATABASE or PGSERVICE from the caller's shell would redirect our own commands.
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


class Postgres:
    """The cluster under `<state>/postgres`: data/, run/ (socket), log/postgresql.log."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.port = config.pg_port
        self.root = config.state_dir / "postgres"
        self.data_dir = self.root / "data"
        self.run_dir = self.root / "run"
        self.log_file = self.root / "log" / "postgresql.log"

    @cached_property
    def bindir(self) -> Path:
        return find_pg_bindir()

    def dsn(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    # -- running as root ---------------------------------------------------------------

    @cached_property
    def server_user(self) -> pwd.struct_passwd | None:
        """Who runs initdb/pg_ctl: root may not, so root hands them to `postgres`."""
        if os.geteuid() != 0:
            return None
        name = os.environ.get("ASN_PG_OS_USER", "postgres")
        try:
            return pwd.getpwnam(name)
        except KeyError:
            raise StackError(
                f"as root, PostgreSQL must run as an unprivileged user, and {name!r} does not "
                "exist: install postgresql-15 (it creates 'postgres') or set ASN_PG_OS_USER"
            ) from None

    def _as_server(self) -> dict[str, Any]:
        user = self.server_user
        if user is None:
            return {}
        return {
            "user": user.pw_uid,
            "group": user.pw_gid,
            "extra_groups": os.getgrouplist(user.pw_name, user.pw_gid),
        }

    def _reachable(self, folder: Path) -> bool:
        result = subprocess.run(["test", "-x", str(folder)], **self._as_server())
        return result.returncode == 0

    def _prepare(self) -> None:
        """Make the cluster's folders, owned by the server's user and reachable by it."""
        state = self.config.state_dir
        state.mkdir(parents=True, exist_ok=True)
        user = self.server_user
        if user is not None and not self.root.exists() and not self._reachable(state):
            # e.g. a checkout under /root (mode 700) or pytest's tmp_path (mode 700): put the
            # cluster where `postgres` can reach it and leave a symlink in the state dir.
            digest = hashlib.sha256(str(state).encode()).hexdigest()[:12]
            real = _fallback_base() / f"{state.name}-{digest}"
            # Left by a state dir that was deleted since: that was meant as a reset.
            shutil.rmtree(real, ignore_errors=True)
            real.mkdir()
            self.root.unlink(missing_ok=True)
            self.root.symlink_to(real, target_is_directory=True)
        for folder in (self.root, self.run_dir, self.log_file.parent):
            folder.mkdir(parents=True, exist_ok=True)
            if user is not None:
                os.chown(folder, user.pw_uid, user.pw_gid)
        if user is not None and not self._reachable(self.run_dir.resolve()):
            raise StackError(f"user {user.pw_name!r} cannot reach {self.root.resolve()}")

    # -- lifecycle ---------------------------------------------------------------------

    def _server_tool(
        self, tool: str, args: Sequence[str], *, detach: bool = False
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bindir / tool), *args],
            capture_output=True,
            text=True,
            cwd=self.root.resolve(),
            env=_clean_env(),
            # pg_ctl leaves the postmaster in our session; a Ctrl-C meant for pytest
            # would otherwise shut the database down.
            start_new_session=detach,
            **self._as_server(),
        )

    def pid(self) -> int | None:
        try:
            first = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
            pid = int(first)
        except (OSError, ValueError):
            return None
        return pid if pid_alive(pid) else None

    def is_running(self) -> bool:
        return self.pid() is not None

    def _conf(self) -> str:
        socket_dir = self.run_dir.resolve()
        too_long = len(str(socket_dir)) > _MAX_SOCKET_DIR
        return render_postgres_conf(self.port, None if too_long else socket_dir)

    def start(self, timeout: float = 60.0) -> None:
        """Start unless running, wait until it accepts connections, create the databases."""
        self.config.state_dir.mkdir(parents=True, exist_ok=True)
        with file_lock(self.config.state_dir / ".postgres.lock"):
            self.bindir  # noqa: B018 -- fail early with the install hint
            self._prepare()
            conf_file = self.data_dir / "devstack.conf"
            wanted = self._conf()
            if self.is_running():
                current = conf_file.read_text() if conf_file.exists() else None
                if current != wanted:
                    # Started earlier with another port: restart with this config.
                    self.stop()
            if not self.is_running():
                self._launch(conf_file, wanted, timeout)
            wait_until(
                self._ready, timeout=timeout, interval=0.1, what=f"PostgreSQL ({self.log_file})"
            )
        self.create_databases(self.config.databases)

    def _launch(self, conf_file: Path, conf: str, timeout: float) -> None:
        if port_in_use(self.port):
            raise StackError(
                f"port {self.port} is taken by another process: choose another with ASN_PG_PORT"
            )
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        conf_file.write_text(conf)
        if self.server_user is not None:
            os.chown(conf_file, self.server_user.pw_uid, self.server_user.pw_gid)
        log_file = self.log_file.resolve()
        args = ["-D", str(self.data_dir.resolve()), "-l", str(log_file), "-w", "-s"]
        result = self._server_tool("pg_ctl", [*args, "-t", str(int(timeout)), "start"], detach=True)
        if result.returncode != 0:
            detail = tail(log_file, 1) or result.stderr.strip()
            raise StackError(f"PostgreSQL did not start ({log_file}): {detail}")

    def _initdb(self) -> None:
        data = str(self.data_dir.resolve())
        base = ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8"]
        result = self._server_tool("initdb", [*base, "--locale=C.UTF-8"])
        if result.returncode != 0 and "locale" in result.stderr:
            # A libc without C.UTF-8: byte order, still UTF-8 text.
            shutil.rmtree(data, ignore_errors=True)
            result = self._server_tool("initdb", [*base, "--no-locale"])
        if result.returncode != 0:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            raise StackError(f"initdb failed: {lines[-1] if lines else result.returncode}")
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\ninclude_if_exists = 'devstack.conf'\n")

    def _ready(self) -> bool:
        args = ["-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-t", "2"]
        result = subprocess.run(
            [str(self.bindir / "pg_isready"), *args, "-d", "postgres"], env=_clean_env()
        )
        return result.returncode == 0

    def stop(self, timeout: float = 60.0) -> None:
        """`pg_ctl stop -m fast`: open sessions are cut, nothing committed is lost."""
        if not self.is_running():
            return
        args = [
            "-D",
            str(self.data_dir.resolve()),
            "-m",
            "fast",
            "-w",
            "-s",
            "-t",
            str(int(timeout)),
        ]
        result = self._server_tool("pg_ctl", [*args, "stop"])
        if result.returncode != 0 and self.is_running():
            raise StackError(f"PostgreSQL did not stop: {result.stderr.strip()}")

    # -- databases ---------------------------------------------------------------------

    def psql(self, sql: str, db: str = "postgres") -> str:
        """Run a script through psql over TCP; returns its unaligned, tuples-only output."""
        args = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"]
        result = subprocess.run(
            [str(self.bindir / "psql"), *args, "-p", str(self.port), "-U", "postgres", "-d", db],
            input=sql,
            capture_output=True,
            text=True,
            env=_clean_env(),
        )
        if result.returncode != 0:
            raise StackError(f"psql on {db}: {result.stderr.strip()}")
        return result.stdout

    def create_databases(self, names: Iterable[str]) -> None:
        """Create those that don't exist yet."""
        names = list(names)
        if names:
            self.psql(create_databases_sql(names))

    def databases(self) -> list[str]:
        out = self.psql("SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1")
        return out.split()

    def real_root(self) -> Path:
        """Where the cluster really lives (outside the state dir when root had to move it)."""
        return self.root.resolve()

    def status(self) -> dict[str, Any]:
        return {
            "running": self.is_running(),
            "pid": self.pid(),
            "port": self.port,
            "dsn": self.dsn(),
            "data_dir": str(self.data_dir.resolve()),
            "log": str(self.log_file),
        }
