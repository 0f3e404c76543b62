#!/usr/bin/env python3
"""Runs a kvserver (examples/kvserver) for one lit test, so that no server
outlives the test.

  kvserver_harness.py [options] -- SERVER ARGS...

Starts SERVER ARGS... --port-file F (the environment passes through, e.g.
VINYL_IO), waits for the port, then:
  --client 'CMD'   runs CMD through the shell with {port} and {pid}
                   substituted (the load client); its status must be 0;
  --faults         runs the misbehaving clients below while --client (if
                   any) runs, and checks that they do not disturb it;
then asks the server to stop (SHUTDOWN), waits for it to exit (status 0,
nothing from a sanitizer on stderr) and checks that it closed every
connection's descriptor before.

Faults: clients that vanish mid-line (plain close and RST), half-close
after their requests, send one byte at a time (interleaved, while a probe
client's PINGs keep being answered promptly), send an overlong line, or
connect and leave at once.
Everything is bounded: --timeout seconds for the whole run.

A soak (--rounds N, for kvserver-converted-asan-soak.test) does the above
N times on the one server instead of once, each round:
  --client 'CMD'   started afresh ({until} is a file the harness creates
                   when the round's other clients are done: kvload
                   --until-file keeps its connections busy until then, so
                   they are there through all of it; the harness fails if
                   it ended before);
  --storm 'CMD'    run beside it (kvload --storm: thousands of connections
                   opened at once and dropped), its status must be 0;
  --trickle N      N clients that send "PING\n" one byte every
                   --trickle-interval seconds, half-close, and must get
                   PONG then end of file;
  --faults         the fault clients above, run during the storm.
After each round it waits for the server's descriptors to come back to
the baseline (at most 10 s) and prints them and its VmRSS. After the last
round it fails if the descriptors are more than after round 1 or than
the baseline, or (with
--max-rss-growth-kib) the RSS grew by more than that from round 2 (round 1
reaches the steady state: the allocator's caches, the store's keys, the
loop's tables) to the last. --timeout then bounds the whole soak: a
watchdog kills the server and fails the run.
"""
import argparse
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time


# The soak's clients, killed when it fails so that none outlives the run
# (each started as "exec CMD", so the shell is the client and the kill
# reaches it).
children = []
# The server and the file its stderr goes to, once started: a failure says
# whether it is still running and shows the end of what it wrote (a
# sanitizer's report), on stderr, which lit shows whole beside the
# redirected stdout it cuts short.
running_server = {}


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.stderr.write("FAIL: " + msg + "\n")
    if running_server:
        rc = running_server["proc"].poll()
        sys.stderr.write("server: %s\n" % ("still running" if rc is None
                                           else "exited with %d" % rc))
        try:
            running_server["err"].flush()
            lines = open(running_server["path"], errors="replace").read().splitlines()
        except OSError:
            lines = []
        if lines:
            sys.stderr.write("server stderr (last %d of %d lines):\n"
                             % (min(len(lines), 80), len(lines)))
            sys.stderr.write("\n".join(lines[-80:]) + "\n")
    sys.stderr.flush()
    for p in children:
        if p.poll() is None:
            p.kill()
    sys.exit(1)


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_to_eof(s):
    out = b""
    while True:
        try:
            b = s.recv(4096)
        except ConnectionResetError:
            break
        if not b:
            break
        out += b
    return out


def read_lines(s, n):
    out = b""
    while out.count(b"\n") < n:
        b = s.recv(4096)
        if not b:
            break
        out += b
    return out


def fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def threads(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return -1


def status_kib(pid, names=("VmRSS", "RssAnon", "RssFile", "RssShmem")):
    """Fields of /proc/PID/status in KiB, -1 where missing."""
    out = dict.fromkeys(names, -1)
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key = line.split(":", 1)[0]
            if key in out:
                out[key] = int(line.split()[1])
    return out


def request(port, line):
    with connect(port) as s:
        s.sendall(line.encode() + b"\n")
        return read_lines(s, 1).decode().strip()


def run_faults(port, pid, max_threads, max_ping_s=1.0):
    results = {}
    # Vanish mid-line: plain close, and close with RST.
    for i in range(100):
        with connect(port) as s:
            s.sendall(b"SET vanish%d abc" % i)
    for i in range(100):
        s = connect(port)
        s.sendall(b"SET rst%d 1\nGET rst%d" % (i, i))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.close()
    # Connect and leave without a word.
    for i in range(50):
        connect(port).close()
    results["vanish"] = 250
    # Half-close: every reply arrives, then end of file.
    for i in range(50):
        with connect(port) as s:
            s.sendall(b"SET half%d v%d\nGET half%d\nINCR halfcount\n" % (i, i, i))
            s.shutdown(socket.SHUT_WR)
            got = read_to_eof(s).decode()
            lines = got.split("\n")
            if len(lines) != 4 or lines[0] != "OK" or lines[1] != "VALUE v%d" % i \
                    or not lines[2].startswith("INT ") or lines[3] != "":
                fail("half-closed client %d got %r" % (i, got))
    results["half-close"] = 50
    # One byte at a time, 20 clients interleaved, a probe PINGing between.
    slow = [connect(port) for _ in range(20)]
    probe = connect(port)
    msgs = [b"SET slow%d 12345\nGET slow%d\n" % (i, i) for i in range(20)]
    worst = 0.0
    for k in range(max(len(m) for m in msgs)):
        for s, m in zip(slow, msgs):
            if k < len(m):
                s.sendall(m[k:k + 1])
        t0 = time.monotonic()
        probe.sendall(b"PING\n")
        if read_lines(probe, 1) != b"PONG\n":
            fail("probe PING not answered while slow clients trickle")
        worst = max(worst, time.monotonic() - t0)
        if max_threads and threads(pid) > max_threads:
            fail("server runs %d threads (at most %d)" % (threads(pid), max_threads))
        time.sleep(0.002)
    for i, s in enumerate(slow):
        got = read_lines(s, 2)
        if got != b"OK\nVALUE 12345\n":
            fail("one-byte client %d got %r" % (i, got))
        s.close()
    probe.close()
    if worst > max_ping_s:
        fail("a PING took %.3f s while slow clients trickled" % worst)
    results["one-byte"] = 20
    # An overlong line is refused and that connection closed.
    with connect(port) as s:
        s.sendall(b"x" * (64 * 1024 + 1))
        got = read_to_eof(s)
        if got != b"ERR line too long\n":
            fail("overlong line got %r" % got[:100])
    results["overlong"] = 1
    # The state survived: what the vanished clients half-sent never ran.
    if request(port, "GET vanish7") != "NIL":
        fail("a partial line was executed")
    if request(port, "GET half7") != "VALUE v7":
        fail("half-close SET lost")
    return results


def trickle(port, interval, errors):
    """One client: PING one byte per interval, half-close, PONG then EOF."""
    try:
        with connect(port) as s:
            s.settimeout(30)
            for k, byte in enumerate(b"PING\n"):
                if k:
                    time.sleep(interval)
                s.sendall(bytes([byte]))
            s.shutdown(socket.SHUT_WR)
            got = read_to_eof(s)
            if got != b"PONG\n":
                errors.append("a trickling client got %r" % got)
    except OSError as e:
        errors.append("a trickling client: %s" % e)


def run_round(a, rnd, port, pid, until):
    """One round of the soak; returns a summary of what ran, or fails."""
    started = time.monotonic()
    if os.path.exists(until):
        os.unlink(until)
    summary = []
    client = None
    client_lines = []
    if a.client:
        cmd = a.client.replace("{port}", str(port)).replace("{pid}", str(pid)) \
            .replace("{until}", until).replace("{round}", str(rnd))
        client = subprocess.Popen("exec " + cmd, shell=True, stdout=subprocess.PIPE, text=True)
        children.append(client)
        opened = threading.Event()

        def forward():
            for line in client.stdout:
                client_lines.append(line.rstrip("\n"))
                sys.stdout.write("  load: " + line)
                sys.stdout.flush()
                if line.startswith("connections_open"):
                    opened.set()
        forwarder = threading.Thread(target=forward, daemon=True)
        forwarder.start()
        deadline = time.monotonic() + 60
        while not opened.wait(timeout=0.05):
            if client.poll() is not None or time.monotonic() > deadline:
                fail("round %d: the client never reported its connections open" % rnd)
    storm = None
    if a.storm:
        cmd = a.storm.replace("{port}", str(port)).replace("{pid}", str(pid)) \
            .replace("{round}", str(rnd))
        storm = subprocess.Popen("exec " + cmd, shell=True, stdout=subprocess.PIPE, text=True)
        children.append(storm)
    trickle_errors = []
    tricklers = [threading.Thread(target=trickle, args=(port, a.trickle_interval, trickle_errors),
                                  daemon=True) for _ in range(a.trickle)]
    for t in tricklers:
        t.start()
    if a.faults:
        r = run_faults(port, pid, a.max_threads, a.max_ping_s)
        summary.append("faults ok (" + ", ".join("%s %d" % kv for kv in r.items()) + ")")
    if storm:
        out, _ = storm.communicate()
        for line in out.splitlines():
            sys.stdout.write("  storm: " + line + "\n")
        if storm.returncode != 0 or "storm ok" not in out:
            fail("round %d: the storm exited with %d" % (rnd, storm.returncode))
        values = dict(l.split(" ", 1) for l in out.splitlines() if " " in l)
        summary.append("storm dropped %s (server held %s descriptors)"
                       % (values.get("storm_dropped", "?").split(":")[0],
                          values.get("storm_server_fds", "?")))
    for t in tricklers:
        t.join(timeout=60)
        if t.is_alive():
            fail("round %d: a trickling client did not finish" % rnd)
    if trickle_errors:
        fail("round %d: %s" % (rnd, trickle_errors[0]))
    if a.trickle:
        summary.append("trickle ok %d" % a.trickle)
    if client:
        # The well-behaved connections were there through all of the above.
        if client.poll() is not None:
            fail("round %d: the client ended (status %d) before the round's other clients did"
                 % (rnd, client.returncode))
        open(until, "w").close()
        try:
            rc = client.wait(timeout=60)
        except subprocess.TimeoutExpired:
            client.kill()
            fail("round %d: the client did not finish" % rnd)
        forwarder.join(timeout=5)
        if rc != 0:
            fail("round %d: the client exited with %d" % (rnd, rc))
        values = dict(l.split(" ", 1) for l in client_lines if " " in l)
        sent = int(values.get("requests", "-1"))
        ok = int(values.get("replies_ok", "-2"))
        bad = int(values.get("replies_bad", "-1"))
        if sent <= 0 or ok != sent or bad != 0:
            fail("round %d: %d requests, %d replies right, %d wrong" % (rnd, sent, ok, bad))
        summary.insert(0, "load %d requests, %d replies right, %d lost or wrong"
                       % (sent, ok, sent - ok))
    children[:] = [p for p in children if p.poll() is None]
    return summary, time.monotonic() - started


def soak(a, srv, port, fds_before):
    """--rounds: the rounds, then the descriptor and memory bounds."""
    until = os.path.join(tempfile.mkdtemp(), "round-done")
    fds, rss = [], []
    for rnd in range(1, a.rounds + 1):
        summary, seconds = run_round(a, rnd, port, srv.pid, until)
        # Every connection of the round is closed again: wait for the
        # baseline, at most 10 s, and not beyond 2 s without a change (a
        # leak then costs a round 2 s, not 10).
        deadline = time.monotonic() + 10
        last, last_change = fd_count(srv.pid), time.monotonic()
        while last > fds_before and time.monotonic() < min(deadline, last_change + 2):
            time.sleep(0.05)
            now = fd_count(srv.pid)
            if now != last:
                last, last_change = now, time.monotonic()
        time.sleep(0.2)
        fds.append(fd_count(srv.pid))
        mem = status_kib(srv.pid)
        rss.append(mem["VmRSS"])
        print("round %d: fds %d, rss_kib %d (anon %d, file %d, shmem %d), %.1f s: %s"
              % (rnd, fds[-1], rss[-1], mem["RssAnon"], mem["RssFile"], mem["RssShmem"],
                 seconds, "; ".join(summary)), flush=True)
    print("soak fds: baseline %d, round 1 %d, round %d %d"
          % (fds_before, fds[0], a.rounds, fds[-1]), flush=True)
    if fds[-1] > fds[0] or fds[-1] != fds_before:
        fail("the server's descriptors grew: %s" % fds)
    if a.max_rss_growth_kib is not None and a.rounds >= 2:
        growth = rss[-1] - rss[1]
        print("soak rss_growth_kib %d from round 2 (%d KiB) to round %d (%d KiB), at most %d"
              % (growth, rss[1], a.rounds, rss[-1], a.max_rss_growth_kib), flush=True)
        if growth > a.max_rss_growth_kib:
            fail("the server's RSS grew by %d KiB from round 2 to round %d: %s"
                 % (growth, a.rounds, rss))
    print("soak ok: %d rounds" % a.rounds, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--client")
    ap.add_argument("--faults", action="store_true")
    ap.add_argument("--max-threads", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=100)
    ap.add_argument("--rounds", type=int, default=0)
    ap.add_argument("--storm")
    ap.add_argument("--trickle", type=int, default=0)
    ap.add_argument("--trickle-interval", type=float, default=1.0)
    ap.add_argument("--max-rss-growth-kib", type=int)
    # A PING slower than this while the one-byte clients trickle means
    # they block the loop. The soak, whose storms run beside them under
    # ASan, allows more: there a slow PING is the machine's load, and a
    # blocked loop still shows as a PING that never comes back.
    ap.add_argument("--max-ping-s", type=float, default=1.0)
    ap.add_argument("server", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    if (a.storm or a.trickle or a.max_rss_growth_kib is not None) and a.rounds < 1:
        ap.error("--storm, --trickle and --max-rss-growth-kib need --rounds")
    server = a.server[1:] if a.server and a.server[0] == "--" else a.server
    tmp = tempfile.mkdtemp()
    port_file = os.path.join(tmp, "port")
    err_path = os.path.join(tmp, "server.err")
    err = open(err_path, "w")
    srv = subprocess.Popen(server + ["--port-file", port_file], stdout=subprocess.DEVNULL, stderr=err)
    running_server.update(proc=srv, err=err, path=err_path)
    status = 1
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(port_file):
            if srv.poll() is not None or time.monotonic() > deadline:
                fail("the server did not start")
            time.sleep(0.02)
        port = int(open(port_file).read())
        # Ready to accept: answer a PING.
        if request(port, "PING") != "PONG":
            fail("no PONG")
        time.sleep(0.1)
        fds_before = fd_count(srv.pid)
        client = None
        if a.rounds:
            def watchdog():
                print("FAIL: the soak did not end within %.0f s" % a.timeout, flush=True)
                for p in children + [srv]:
                    if p.poll() is None:
                        p.kill()
                os._exit(1)
            timer = threading.Timer(a.timeout, watchdog)
            timer.daemon = True
            timer.start()
            soak(a, srv, port, fds_before)
            timer.cancel()
        elif a.client:
            cmd = a.client.replace("{port}", str(port)).replace("{pid}", str(srv.pid))
            client = subprocess.Popen("exec " + cmd, shell=True, stdout=subprocess.PIPE, text=True)
            opened = threading.Event()

            def forward():
                for line in client.stdout:
                    sys.stdout.write(line)
                    sys.stdout.flush()
                    if line.startswith("connections_open"):
                        opened.set()
            forwarder = threading.Thread(target=forward, daemon=True)
            forwarder.start()
            # The faults come while the load client's connections are open
            # (it holds them idle a moment, then runs its requests).
            deadline = time.monotonic() + 60
            while not opened.wait(timeout=0.05):
                if client.poll() is not None:
                    forwarder.join(timeout=5)
                    if opened.is_set():
                        break
                if client.poll() is not None or time.monotonic() > deadline:
                    fail("the client never reported its connections open")
            if a.faults and client.poll() is not None:
                fail("the client finished before the faults began")
        if a.faults and not a.rounds:
            r = run_faults(port, srv.pid, a.max_threads, a.max_ping_s)
            print("faults ok: " + ", ".join("%s %d" % kv for kv in r.items()), flush=True)
        if client:
            try:
                rc = client.wait(timeout=max(1, a.timeout - 10))
            except subprocess.TimeoutExpired:
                client.kill()
                fail("the client did not finish in time")
            forwarder.join(timeout=5)
            if rc != 0:
                fail("the client exited with %d" % rc)
        # Every connection's descriptor is closed again.
        deadline = time.monotonic() + 10
        while fd_count(srv.pid) != fds_before:
            if time.monotonic() > deadline:
                fail("server descriptors: %d before, %d after"
                     % (fds_before, fd_count(srv.pid)))
            time.sleep(0.05)
        print("server descriptors back to %d" % fds_before, flush=True)
        with connect(port) as s:
            s.sendall(b"SHUTDOWN\n")
            if read_lines(s, 1) != b"BYE\n":
                fail("no BYE to SHUTDOWN")
        try:
            rc = srv.wait(timeout=30)
        except subprocess.TimeoutExpired:
            fail("the server did not stop after SHUTDOWN")
        err.close()
        text = open(err_path).read()
        if rc != 0 or "Sanitizer" in text:
            sys.stdout.write(text)
            fail("the server exited with %d" % rc)
        print("server stopped cleanly", flush=True)
        status = 0
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()
    return status


if __name__ == "__main__":
    sys.exit(main())
