#!/usr/bin/env python3
"""Draws docs/images/server-bench.png from bench/server/run.sh's summary.csv:
requests/s, p99 latency and server RSS per idle connection against the
number of concurrent connections, one line per server.

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
fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
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
axes[2].axhline(2.0, color="grey", linewidth=0.8)
axes[2].text(110, 2.1, "2 KiB target", color="grey", fontsize=8)
axes[0].legend(fontsize=8, loc="lower left")
fig.suptitle("kvserver over loopback, 2 vCPU, one kvload client thread (closed loop, 1 request in flight per connection)")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
