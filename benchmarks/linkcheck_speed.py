"""Link-check throughput: 2,000 URLs on a local server that answers every request after 50 ms.

Prints, for each concurrency, the wall time of `check_urls` and of the whole `seml check
--online` command against the ideal `2000 x 0.05 s / concurrency`, and the most requests the
server saw at once. The server runs in its own process (asyncio, keep-alive, any number of
connections) so that it does not share the checker's event loop or interpreter.
Run: `python benchmarks/linkcheck_speed.py` (nothing leaves 127.0.0.1).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from mkdocs_seml_plugin.linkcheck import CheckSettings, check_urls
from mkdocs_seml_plugin.load import read_csv

URLS, LATENCY = 2000, 0.05
CONCURRENCY = (20, 50, 100)


# the server (a child process: `linkcheck_speed.py --serve`)


class _Stats:
    in_flight = 0
    most = 0


async def _serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            method, target = head.split(b" ", 2)[:2]
            if target == b"/__stats":  # read and reset the most requests seen at once
                body = json.dumps({"most": _Stats.most}).encode()
                _Stats.most = 0
            else:
                _Stats.in_flight += 1
                _Stats.most = max(_Stats.most, _Stats.in_flight)
                await asyncio.sleep(LATENCY)
                _Stats.in_flight -= 1
                body = b"ok\n"
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + (b"" if method == b"HEAD" else body)
            )
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def _serve() -> None:
    server = await asyncio.start_server(_serve_connection, "127.0.0.1", 0, backlog=2048)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until EOF


# the benchmark


def write_data(path: Path, port: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["title", "url", "category", "must_read", "scientific"])
        for i in range(URLS):
            url = f"http://127.0.0.1:{port}/{('papers', 'blog', 'docs')[i % 3]}/{i}?v={i % 7}"
            writer.writerow([f"Resource {i}", url, f"Category {i % 9}", "false", "false"])


def most_at_once(port: int) -> int:
    import httpx

    with httpx.Client(trust_env=False) as client:
        most: int = client.get(f"http://127.0.0.1:{port}/__stats").json()["most"]
    return most


def library_run(urls: list[str], concurrency: int) -> tuple[float, Counter[str]]:
    settings = CheckSettings(
        timeout=10, concurrency=concurrency, per_host=concurrency, deadline=600, retries=0
    )
    start = time.perf_counter()
    results = asyncio.run(check_urls(urls, settings))
    return time.perf_counter() - start, Counter(r.status for r in results.values())


def command_run(root: Path, concurrency: int) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    command = [sys.executable, "-m", "mkdocs_seml_plugin", "check", "--online", "--ttl", "0"]
    command += ["--concurrency", str(concurrency), "--per-host", str(concurrency)]
    command += ["--timeout", "10", "--retries", "0", "--format", "json"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    summary = json.loads(done.stdout)["summary"] if done.stdout else {"exit": done.returncode}
    return elapsed, f"exit {done.returncode}, {summary.get('ok', 0)} ok"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=2, help="runs per concurrency; best kept")
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve())
        return
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(name, None)
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            write_data(root / "data" / "links.csv", port)
            table = read_csv(root / "data" / "links.csv")
            urls = [row.fields[1] for row in table.rows]
            print(f"{len(urls)} URLs on one host, {LATENCY * 1000:.0f} ms per answer")
            print(
                f"{'concurrency':>11}{'ideal s':>9}{'check_urls s':>14}{'ratio':>7}"
                f"{'at once':>9}{'seml check s':>14}{'ratio':>7}  results"
            )
            for concurrency in CONCURRENCY:
                ideal = URLS * LATENCY / concurrency
                library = min(library_run(urls, concurrency) for _ in range(args.repeat))
                most = most_at_once(port)
                command = min(command_run(root, concurrency) for _ in range(args.repeat))
                statuses = ", ".join(f"{n} {s}" for s, n in library[1].most_common())
                print(
                    f"{concurrency:>11}{ideal:>9.2f}{library[0]:>14.2f}{library[0] / ideal:>7.2f}"
                    f"{most:>9}{command[0]:>14.2f}{command[0] / ideal:>7.2f}  "
                    f"{statuses}; command: {command[1]}"
                )
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
