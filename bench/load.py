"""Load benchmark (`make load`): how many questions a deployment answers per second, and how
long each user waits, through the real HTTP path.

Starts `helpdesk-bot run` (one or more instances, no platform tokens: the web chat's
POST /api/messages is the way in, as a browser's), then lets simulated users, all at once,
each ask the demo KB's held-out questions (bench/demo/heldout-*.jsonl) one after another,
waiting for each answer before the next, as people do. Users are spread over the instances
round robin (any instance may serve any user). Prints the turns answered, the wall time,
turns per second, and the time per turn (p50, p90, p99), with the errors if any.

    make load                                    # 1 instance on a fresh SQLite file
    make load LOAD_ARGS="--instances 2 --database-url postgres://postgres@127.0.0.1/load"

A PostgreSQL database given is migrated and used as it is (use an empty one: the users'
conversations stay in it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sys
import tempfile
import time
from itertools import cycle
from pathlib import Path
from uuid import uuid4

from aiohttp import ClientError, ClientSession, ClientTimeout

ROOT = Path(__file__).resolve().parents[1]


def _questions() -> list[str]:
    paths = sorted((ROOT / "bench/demo").glob("heldout-*.jsonl"))
    lines = (line for path in paths for line in path.read_text("utf-8").splitlines())
    return [json.loads(line)["text"] for line in lines if line.strip()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _start(
    url: str, folder: Path, count: int
) -> tuple[list[str], list[asyncio.subprocess.Process]]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HELPDESK_", "SLACK_", "TELEGRAM_"))
    }
    env |= {"HELPDESK_DATABASE_URL": url, "HELPDESK_KB_DIR": str(ROOT / "kb")}
    env["HELPDESK_LOG_LEVEL"] = "WARNING"
    servers, processes = [], []
    for number in range(count):
        port = _free_port()
        with (folder / f"instance{number}.log").open("wb") as log:
            processes.append(
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "run",
                    env=env | {"HELPDESK_HTTP_PORT": str(port)},
                    cwd=folder,
                    stdout=log,
                    stderr=log,
                )
            )
        servers.append(f"http://127.0.0.1:{port}")
        if number == 0:  # the first migrates a new database; the others find it ready
            await _healthy(servers[0])
    await asyncio.gather(*map(_healthy, servers))
    return servers, processes


async def _healthy(server: str) -> None:
    async with asyncio.timeout(120), ClientSession() as session:
        while True:
            try:
                async with session.get(f"{server}/healthz") as response:
                    if response.status == 200:
                        return
            except ClientError:
                pass
            await asyncio.sleep(0.2)


async def _user(server: str, questions: list[str], times: list[float], errors: list[str]) -> None:
    async with ClientSession(timeout=ClientTimeout(total=60)) as session:
        for text in questions:
            started = time.perf_counter()
            try:
                body = {"id": uuid4().hex, "text": text}
                async with session.post(f"{server}/api/messages", json=body) as response:
                    await response.read()
                    if response.status != 200:
                        errors.append(f"HTTP {response.status}")
                        continue
            except (ClientError, TimeoutError) as exc:
                errors.append(type(exc).__name__)
                continue
            times.append(time.perf_counter() - started)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="users asking at once (50)")
    parser.add_argument("--messages", type=int, default=10, help="questions each asks (10)")
    parser.add_argument("--instances", type=int, default=1, help="helpdesk-bot run processes (1)")
    parser.add_argument("--database-url", help="default: a new SQLite file (one instance only)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="helpdesk-load-"))
    url = args.database_url or f"sqlite://{folder}/load.sqlite3"
    questions = _questions()
    servers, processes = await _start(url, folder, args.instances)
    times: list[float] = []
    errors: list[str] = []
    try:
        asks = cycle(range(len(questions)))
        users = [[questions[next(asks)] for _ in range(args.messages)] for _ in range(args.users)]
        started = time.perf_counter()
        await asyncio.gather(
            *(_user(server, own, times, errors) for own, server in zip(users, cycle(servers)))
        )
        wall = time.perf_counter() - started
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        await asyncio.gather(*(process.wait() for process in processes))
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"{args.instances} instance(s) on {database}, "
        f"{args.users} users × {args.messages} questions"
    )
    print(f"  answered {len(times)} turns in {wall:.1f} s: {len(times) / wall:.1f} turns/s")
    print(
        f"  time per turn: p50 {_percentile(times, 0.5) * 1000:.0f} ms, "
        f"p90 {_percentile(times, 0.9) * 1000:.0f} ms, p99 {_percentile(times, 0.99) * 1000:.0f} ms"
    )
    if errors:
        print(f"  errors: {len(errors)} ({', '.join(sorted(set(errors)))}); logs in {folder}")


if __name__ == "__main__":
    asyncio.run(main())
