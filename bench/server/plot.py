#!/usr/bin/env python3
"""Draws docs/images/server-bench.png from bench/server/run.sh's summary.csv:
requests/s, p99 latency, server RSS per idle connection, and the CPU share
of the server and of the kvload client during the request phase (1.0 = the
whole of the one CPU each is pinned to), against the number of concurrent
connections, one line per server.

  python3 bench/server/plot.py SUMMARY.csv OUT.png
"""
import csv
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

rows = list(csv.DictReader(open(sys.argv[1])))
servers = []
for r in rows:
    if r["server"] not in servers:
        servers.append(r["server"])
labels = {
    "converted-async": "converted by vinyl-asyncify, VINYL_IO=async (1 thread)",
    "thread-per-connection": "original, thread per connection",
    "epoll-reference": "hand-written epoll reference (1 thread)",
}
styles = {"converted-async": "o-", "thread-per-connection": "s--", "epoll-reference": "^:"}
fig, axes = plt.subplots(1, 4, figsize=(20, 4.8))
panels = [("rps", "requests per second", 1.0), ("p99_us", "p99 latency (ms)", 1e-3),
          ("rss_per_conn_bytes", "server RSS per idle connection (KiB)", 1 / 1024)]
for ax, (field, title, scale) in zip(axes, panels):
    for s in servers:
        pts = sorted((int(r["conns"]), float(r[field]) * scale) for r in rows
                     if r["server"] == s and r[field] not in ("", "nan"))
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], styles.get(s, "o-"),
                    label=labels.get(s, s))
    ax.set_xscale("log")
    ax.set_xlabel("concurrent connections")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    if field != "rps":
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
ax = axes[3]
colors = {}
for s in servers:
    for field, fill in (("server_cpu_share", True), ("client_cpu_share", False)):
        pts = sorted((int(r["conns"]), float(r[field])) for r in rows
                     if r["server"] == s and r.get(field) not in (None, "", "nan"))
        if not pts:
            continue
        line, = ax.plot([p[0] for p in pts], [p[1] for p in pts], styles.get(s, "o-"),
                        color=colors.get(s), markerfacecolor=None if fill else "none",
                        label=f"{s}: {'server' if fill else 'client'}")
        colors[s] = line.get_color()
ax.set_xscale("log")
ax.set_ylim(0, 1.05)
ax.set_xlabel("concurrent connections")
ax.set_title("CPU share in the request phase\n(filled: server, hollow: kvload client)")
ax.grid(True, which="both", alpha=0.3)
ax.legend(fontsize=7, loc="lower left")
axes[2].axhline(2.0, color="grey", linewidth=0.8)
axes[2].text(110, 2.1, "2 KiB target", color="grey", fontsize=8)
axes[0].legend(fontsize=8, loc="lower left")
fig.suptitle("kvserver over loopback: each server pinned to CPU 0 (one core), one kvload client thread "
             "pinned to CPU 1 (closed loop, 1 request in flight per connection); median of 3 runs")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
