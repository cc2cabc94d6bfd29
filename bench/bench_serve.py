"""Benchmark: `fzcheck serve` under 50 concurrent reviewers, each checking a draft through the API
again and again for 60 seconds (issue #15's load test; bounded, against 127.0.0.1 only).

Starts the real server (`fzcheck serve`, uvicorn) in a subprocess on a free local port with a fresh
SQLite database and a reviewer's token, then runs an asyncio loop of N clients (httpx) that POST
the README's draft to /api/check. Reports requests, errors (any non-200 or a body that is not the
draft's four violations), throughput and p50/p95/p99 latency.

Usage: python bench/bench_serve.py [--clients 50] [--seconds 60] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DRAFT = (ROOT / "sample_cases" / "readme_example" / "draft.jsonl").read_bytes()
FZCHECK = [str(Path(sys.executable).with_name("fzcheck"))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fzcheck(*args: str, stdin: str | None = None) -> str:
    return subprocess.run([*FZCHECK, *args], input=stdin, capture_output=True, text=True, check=True).stdout


async def _reviewer(
    client: httpx.AsyncClient, url: str, token: str, until: float, latencies: list[float], errors: list[str]
) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await client.post(
                url,
                params={"as_of": "2019-01-01"},
                headers={"Authorization": f"Bearer {token}"},
                files={"file": ("draft.jsonl", DRAFT)},
            )
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                errors.append(f"HTTP {response.status_code}")
            elif json.loads(response.text)["summary"]["violation"] != 4:
                errors.append("wrong report")
            else:
                latencies.append(elapsed)
        except httpx.HTTPError as exc:
            errors.append(f"{type(exc).__name__}: {exc!r}"[:200])


async def _load(url: str, token: str, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        started = time.monotonic()
        await asyncio.gather(
            *(_reviewer(client, url, token, started + seconds, latencies, errors) for _ in range(clients))
        )
        wall = time.monotonic() - started
    return latencies, errors, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=1)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fzcheck-bench-serve-"))
    db = str(folder / "serve.db")
    _fzcheck("db", "init", "--db", db)
    _fzcheck("user", "add", "reviewer", "--role", "reviewer", "--password-stdin", "--db", db, stdin="bench pass 1\n")
    token = _fzcheck("user", "token", "reviewer", "--db", db).strip()
    port = _free_port()
    with open(folder / "server.log", "w") as server_log:
        server = subprocess.Popen(
            [
                *FZCHECK,
                "serve",
                "--db",
                db,
                "--port",
                str(port),
                "--workers",
                str(options.workers),
                "--upload-dir",
                str(folder / "uploads"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=server_log,
            env=os.environ.copy(),
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            latencies, errors, wall = asyncio.run(_load(base + "/api/check", token, options.clients, options.seconds))
        finally:
            server.terminate()
            server.wait(30)
    latencies.sort()

    def quantile(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{options.clients} concurrent reviewers for {options.seconds:g} s, {options.workers} server worker(s)")
    print(
        f"requests: {len(latencies) + len(errors)}, errors: {len(errors)}"
        + (f" ({', '.join(sorted(set(errors)))})" if errors else "")
    )
    print(f"throughput: {len(latencies) / wall:.1f} checks/s")
    print(
        f"latency: p50 {quantile(0.50):.0f} ms, p95 {quantile(0.95):.0f} ms, p99 {quantile(0.99):.0f} ms, "
        f"mean {statistics.fmean(latencies) * 1000 if latencies else float('nan'):.0f} ms"
    )
    print(f"server log: {folder / 'server.log'}")
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
