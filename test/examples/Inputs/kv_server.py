#!/usr/bin/env python3
"""A small server of the KV line protocol (examples/kvclient/src/kv/protocol.h)
for the kvclient tests. It is never converted: it is the fixed side that the
original and the converted client both talk to.

It listens on 127.0.0.1 on a port the kernel picks and writes that port to
--port-file. With a command after `--`, it runs that command (every `{port}`
in it replaced by the port), waits for it, stops and exits with its status:
no background process outlives a test. Without one, it serves until killed.

Scripted behaviour, so that the client's buffering and error handling run:
  - every reply is sent in two pieces with a pause between them, and array
    items one by one, so replies arrive split across TCP segments;
  - DEBUG SLEEP <ms> answers only after that long (client timeouts);
  - DEBUG DROP closes the connection without answering;
  - --drop-after N closes each connection, unanswered, on its Nth request.
"""
import argparse
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time

store = {}
store_lock = threading.Lock()


def execute(words):
    """The reply lines for one request; None to drop the connection."""
    cmd = words[0].upper() if words else ""
    args = words[1:]
    if cmd == "PING" and not args:
        return ["+PONG"]
    if cmd == "GET" and len(args) == 1:
        with store_lock:
            value = store.get(args[0])
        return ["_"] if value is None else ["$" + value]
    if cmd == "SET" and len(args) >= 2:
        with store_lock:
            store[args[0]] = " ".join(args[1:])
        return ["+OK"]
    if cmd == "DEL" and len(args) == 1:
        with store_lock:
            existed = store.pop(args[0], None) is not None
        return [":%d" % existed]
    if cmd == "INCR" and len(args) in (1, 2):
        with store_lock:
            try:
                value = int(store.get(args[0], "0")) + int(args[1] if len(args) == 2 else 1)
            except ValueError:
                return ["-ERR value is not an integer"]
            store[args[0]] = str(value)
        return [":%d" % value]
    if cmd == "KEYS" and len(args) <= 1:
        prefix = args[0] if args else ""
        with store_lock:
            found = sorted(k for k in store if k.startswith(prefix))
        return ["*%d" % len(found)] + ["$" + k for k in found]
    if cmd == "QUIT" and not args:
        return ["+BYE"]
    if cmd == "DEBUG" and len(args) == 2 and args[0].upper() == "SLEEP":
        time.sleep(int(args[1]) / 1000.0)
        return ["+OK"]
    if cmd == "DEBUG" and args == ["DROP"]:
        return None
    return ["-ERR unknown command '%s'" % " ".join(words)]


class Handler(socketserver.BaseRequestHandler):
    drop_after = 0

    def send_split(self, line):
        data = (line + "\n").encode()
        half = max(1, len(data) // 2)
        self.request.sendall(data[:half])
        time.sleep(0.002)
        self.request.sendall(data[half:])

    def handle(self):
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffered = b""
        served = 0
        try:
            while True:
                while b"\n" not in buffered:
                    chunk = sock.recv(4096)
                    if not chunk:
                        return
                    buffered += chunk
                line, buffered = buffered.split(b"\n", 1)
                words = line.decode().rstrip("\r").split(" ")
                served += 1
                if self.drop_after and served == self.drop_after:
                    return
                reply = execute(words)
                if reply is None:
                    return
                for reply_line in reply:
                    self.send_split(reply_line)
                if words[0].upper() == "QUIT":
                    return
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on this connection (e.g. a timeout)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--drop-after", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds the command may run")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    opts = parser.parse_args()
    Handler.drop_after = opts.drop_after

    server = Server(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    # Written atomically: whoever polls for the file never reads half a port.
    with open(opts.port_file + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.replace(opts.port_file + ".tmp", opts.port_file)

    command = opts.command[1:] if opts.command[:1] == ["--"] else opts.command
    if not command:
        server.serve_forever()
        return 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        status = subprocess.run([a.replace("{port}", str(port)) for a in command],
                                timeout=opts.timeout).returncode
    except subprocess.TimeoutExpired:
        print("kv_server.py: command timed out", file=sys.stderr)
        status = 124
    server.shutdown()
    server.server_close()
    return status


if __name__ == "__main__":
    sys.exit(main())
