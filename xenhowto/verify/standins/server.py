"""One process inside the sandbox for a whole guide: it runs the guide's shell
snippets one by one, and answers the stand-in commands they call.

Starting Python for each stand-in call and bwrap for each snippet was most
of what a verification cost.  Here bwrap starts once per guide, with this
driver inside; the verifier sends each snippet on stdin (one JSON line) and
gets its exit status and output back on stdout.  A stand-in command is a
small sh client (``world.wrapper``) that leaves its arguments in files
under ``/tmp/.standins`` named by its pid and sends the pid on the requests
FIFO; a thread here runs ``main.main`` on them, in this process, and writes the
output and the exit status back.  Requests nest (``reboot`` runs
/etc/netstart, whose ``ifconfig`` calls come back here), so each has its
thread.  Everything still happens inside the sandbox: the stand-ins see the
same root as before, only without a Python start-up per call.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

from . import main, world

SPOOL = "/tmp/.standins"
REQUESTS = f"{SPOOL}/requests"


def _serve_one(line: str) -> None:
    pid, _, rest = line.partition(" ")
    name, _, via = rest.partition(" ")
    if not pid.isdigit():
        return
    base = f"{SPOOL}/{pid}"
    out, err, rc = [], [], 127
    try:
        with open(f"{base}.argv", "rb") as f:
            raw = f.read()
        argv = [a.decode("utf-8", "surrogateescape") for a in raw.split(b"\0")[:-1]]
        with open(f"{base}.cwd", encoding="utf-8", errors="surrogateescape") as f:
            cwd = f.read().rstrip("\n") or "/"
        rc = main.main(name, argv, cwd=cwd, via=via or None, out=out, err=err)
    except Exception as e:  # a stand-in's bug is its command's failure, not the driver's end
        err.append(f"{name}: stand-in error: {type(e).__name__}: {e}\n")
        rc = 70
    finally:
        try:
            for suffix, text in ((".out", out), (".err", err)):
                if text:
                    with open(base + suffix, "w", encoding="utf-8", errors="surrogateescape") as f:
                        f.write("".join(text))
                elif os.path.exists(base + suffix):
                    os.unlink(base + suffix)  # a pid used again must not show an old output
            with open(f"{base}.reply", "w", encoding="utf-8") as f:  # the client waits on this FIFO
                f.write(f"{rc}\n")
            os.unlink(f"{base}.reply")  # the client has it open; its pid may come again
        except OSError:
            pass


def _listen() -> None:
    # Opened read-write so that the FIFO never reports end-of-file between clients.
    fd = os.open(REQUESTS, os.O_RDWR)
    with os.fdopen(fd, "r", encoding="utf-8", errors="surrogateescape") as fifo:
        for line in fifo:
            threading.Thread(target=_serve_one, args=(line.rstrip("\n"),), daemon=True).start()


def _run(request: dict) -> dict:
    script, timeout = request["script"], float(request.get("timeout", 60))
    p = subprocess.Popen(["/bin/sh", "-e", "-x", "-c", script], cwd="/", stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        rc = 124
        err += f"\n(stopped after {timeout:g} s: the step hangs)".encode()
    return {"rc": rc, "stdout": out.decode("utf-8", "replace"), "stderr": err.decode("utf-8", "replace")}


def serve() -> None:
    os.makedirs(SPOOL, exist_ok=True)
    os.mkfifo(REQUESTS, 0o600)
    threading.Thread(target=_listen, daemon=True).start()
    world.SERVER = True
    reply = sys.stdout
    sys.stdout = sys.stderr  # nothing but replies on the channel to the verifier
    for line in sys.stdin:
        try:
            answer = _run(json.loads(line))
        except (ValueError, KeyError, OSError) as e:
            answer = {"rc": 125, "stdout": "", "stderr": f"driver: {e}"}
        reply.write(json.dumps(answer) + "\n")
        reply.flush()
