"""A throwaway PostgreSQL 15 server for tests: `initdb` in a temporary directory, `postgres` on a
Unix socket in that directory (no TCP), stopped and removed on exit, also on failure.

`initdb` refuses to run as root (which CI is): as root, the server runs as the system user
`fulcrum-pg`, created if missing (`useradd --system`), switched to with `setpriv`, which execs
in place (the postmaster keeps the pid it is started with, so stopping it is a signal to it).

Not a test itself. Use:

    with PostgresServer() as pg:          # fails without postgresql-15 (see skip_without_postgres)
        pg.psql("crm", "CREATE TABLE ...")
        env = pg.client_env()             # PGHOST, PGUSER: `postgresql:///crm?table=...` works
"""
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PG_BIN = "/usr/lib/postgresql/15/bin"
SERVER_USER = "fulcrum-pg"
SUPERUSER = "fulcrum"  # the database role the tests connect as (trust authentication)
SKIP = 77  # ctest's SKIP_RETURN_CODE for these tests, used only with FULCRUM_ALLOW_SKIP=1


def skip_without_postgres():
    """Fails (exit 1) when postgresql-15's programs are not installed: `make deps` installs them,
    so their absence is a broken machine, not a reason to pass. With FULCRUM_ALLOW_SKIP=1 in the
    environment it exits SKIP instead (ctest reports the test skipped)."""
    missing = [p for p in ("initdb", "postgres", "psql", "pg_isready")
               if not os.access(os.path.join(PG_BIN, p), os.X_OK) and not shutil.which(p)]
    if missing:
        allowed = os.environ.get("FULCRUM_ALLOW_SKIP") == "1"
        print(f"{'SKIPPED' if allowed else 'FAILED'}: PostgreSQL 15 is not installed "
              f"({', '.join(missing)} missing from {PG_BIN}); `make deps` installs postgresql-15"
              + ("" if allowed else " (FULCRUM_ALLOW_SKIP=1 skips this test instead)"))
        sys.exit(SKIP if allowed else 1)


def program(name):
    path = os.path.join(PG_BIN, name)
    return path if os.access(path, os.X_OK) else shutil.which(name)


class PostgresServer:
    def __init__(self):
        self.dir = None
        self.process = None

    # The user the server runs as, and the command prefix that switches to it.
    def _as_server_user(self):
        if os.geteuid() != 0:
            return []
        try:
            entry = pwd.getpwnam(SERVER_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                            "--shell", "/usr/sbin/nologin", SERVER_USER], check=True)
            entry = pwd.getpwnam(SERVER_USER)
        os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        return ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups",
                "--"]

    def __enter__(self):
        skip_without_postgres()
        self.dir = tempfile.mkdtemp(prefix="fulcrum-pg-")
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self):
        os.chmod(self.dir, 0o700)
        prefix = self._as_server_user()
        data = os.path.join(self.dir, "data")
        env = dict(os.environ, LC_ALL="C", TZ="UTC")
        init = subprocess.run(prefix + [program("initdb"), "-D", data, "--auth=trust",
                                        f"--username={SUPERUSER}", "--encoding=UTF8",
                                        "--locale=C", "--no-sync"],
                              capture_output=True, text=True, env=env)
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed ({init.returncode}): {init.stderr[-2000:]}")
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        self.process = subprocess.Popen(
            prefix + [program("postgres"), "-D", data, "-k", self.dir, "-c", "listen_addresses=",
                      "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "TimeZone=UTC"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while True:
            ready = subprocess.run([program("pg_isready"), "-h", self.dir, "-U", SUPERUSER, "-q"])
            if ready.returncode == 0:
                break
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the PostgreSQL server did not start: " + self.server_log())
            time.sleep(0.1)

    def server_log(self, tail=3000):
        """The server's log (its last `tail` characters; all of it with tail=None)."""
        try:
            with open(os.path.join(self.dir, "server.log")) as f:
                text = f.read()
                return text if tail is None else text[-tail:]
        except OSError:
            return "(no log)"

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def client_env(self):
        """The environment a client needs: libpq's defaults point at this server."""
        return dict(os.environ, PGHOST=self.dir, PGUSER=SUPERUSER)

    def psql(self, database, sql):
        """Runs `sql` (psql's backslash commands such as \\copy included); raises on an error."""
        proc = subprocess.run([program("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database],
                              input=sql, capture_output=True, text=True, env=self.client_env())
        if proc.returncode != 0:
            raise RuntimeError(f"psql failed: {proc.stderr[-2000:]}")
        return proc.stdout

    def create_database(self, name):
        self.psql("postgres", f"CREATE DATABASE {name};")
