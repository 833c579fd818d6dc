"""The gateway vs a wechatpy-based handler, both behind the same gunicorn, in safe (AES) mode.

Five servers run side by side on 127.0.0.1 (gunicorn, gthread workers, the same settings for all): oaspec
and the baseline with 10 and with 10,000 keyword rules, and a bare app that answers without reading the
message (what the server itself costs per request). Then, in `--rounds` interleaved rounds (a, b, c, d, e,
a, b, ...: load from elsewhere on the machine falls on all alike), each server gets
- max throughput: closed loop, `--concurrency` connections for `--seconds`, messages/s, and the CPU time the
  server's processes spent per message (from /proc: what the handler and the server cost, without the
  load generator);
- latency at a fixed offered load (`--rate` messages/s, open loop: each request is scheduled in advance and
  its latency counts from the scheduled time, so a server that falls behind is charged for the queue).
Medians over the rounds are printed. Every request is a distinct encrypted text message (own MsgId and
nonce) that hits a keyword rule in the middle of the rule list. The baseline is what a wechatpy user
writes: `check_signature`, `WeChatCrypto`, `parse_message`, a loop over the keyword rules,
`create_reply(...).render()`, `encrypt_message`. wechatpy is needed for this benchmark only.

Targets (issue 13): >= 2x the baseline's throughput, p99 < 20 ms at 500 msg/s, 10,000-rule p99 <= 1.3x the
10-rule p99. The load generator runs on the same machine and shares its cores, and every server pays the
bare app's cost per request: the last lines say how far that bounds the throughput ratio.

    python benchmarks/bench_gateway.py [--rate 500] [--seconds 10] [--workers 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from oa_spec.gateway.simulator import PlatformSimulator, text_message

ROOT = Path(__file__).resolve().parent.parent
TOKEN, AES_KEY, APP_ID = "benchtoken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx2c2769f8efd9abc2"

OURS = """
import json, sys
from oa_spec.gateway.server import serve
from oa_spec.gateway.config import AccountGateway
serve([AccountGateway.from_mapping(json.load(open(sys.argv[1])))], "127.0.0.1", int(sys.argv[2]),
      int(sys.argv[3]), threads=8)
"""

BASELINE = """
import json, sys
from urllib.parse import parse_qsl
from gunicorn.app.base import BaseApplication
from wechatpy import create_reply, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import check_signature

config = json.load(open(sys.argv[1]))
rules = [(k["keyword"], r["replies"][0]) for r in config["keyword_rules"] for k in r["keywords"]]
crypto = WeChatCrypto("benchtoken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", config["app_id"])

def app(environ, start_response):
    query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    try:
        check_signature("benchtoken", query["signature"], query["timestamp"], query["nonce"])
        xml = crypto.decrypt_message(body, query["msg_signature"], query["timestamp"], query["nonce"])
    except Exception:
        start_response("403 Forbidden", [("Content-Type", "text/plain")])
        return [b"forbidden"]
    msg = parse_message(xml)
    text = config.get("default_reply", "")
    for keyword, reply in rules:
        if keyword in getattr(msg, "content", ""):
            text = reply
            break
    out = crypto.encrypt_message(create_reply(text, msg).render(), query["nonce"], query["timestamp"]).encode()
    start_response("200 OK", [("Content-Type", "application/xml"), ("Content-Length", str(len(out)))])
    return [out]

class Server(BaseApplication):
    def load_config(self):
        for key, value in {"bind": "127.0.0.1:" + sys.argv[2], "workers": int(sys.argv[3]), "threads": 8,
                           "worker_class": "gthread", "timeout": 30, "keepalive": 5}.items():
            self.cfg.set(key, value)
    def load(self):
        return app

Server().run()
"""
# The same server with an app that reads the body and answers a fixed encrypted-looking reply.
BARE = BASELINE.split("from wechatpy")[0] + """
def app(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    out = b"<xml><Encrypt><![CDATA[x]]></Encrypt></xml>"
    start_response("200 OK", [("Content-Type", "application/xml"), ("Content-Length", str(len(out)))])
    return [out]

class Server""" + BASELINE.split("class Server")[1]


def account(rules: int) -> dict[str, object]:
    return {"account_id": "bench", "app_id": APP_ID, "token_env": "BENCH_TOKEN", "aes_key_env": "BENCH_AES",
            "mode": "safe", "default_reply": "您好",
            "keyword_rules": [{"name": f"r{i}", "keywords": [{"match": "contains", "keyword": f"业务{i}号"}],
                               "replies": [f"第{i}号业务的说明"]} for i in range(rules)]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, code: str, rules: int, workers: int, scratch: Path) -> None:
        path = scratch / f"account-{rules}.json"
        path.write_text(json.dumps(account(rules), ensure_ascii=False))
        self.port = free_port()
        env = {**os.environ, "BENCH_TOKEN": TOKEN, "BENCH_AES": AES_KEY, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-c", code, str(path), str(self.port), str(workers)],
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def cpu_seconds(self) -> float:
        """User and system CPU of the server's processes (gunicorn's arbiter and its workers) so far."""
        pids = [self.process.pid]
        with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as children:
            pids += [int(pid) for pid in children.read().split()]
        total = 0
        for pid in pids:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def requests_for(count: int, rules: int) -> list[tuple[str, bytes]]:
    sim = PlatformSimulator("http://unused/wx/bench", TOKEN, app_id=APP_ID, aes_key=AES_KEY)
    out = []
    for i in range(count):
        query, body = sim.signed_request(text_message(f"请问业务{rules // 2}号怎么办理", msg_id=str(10**12 + i)))
        out.append(("/wx/bench?" + urlencode(query), body))
    return out


def send(conn: http.client.HTTPConnection, path: str, body: bytes) -> bool:
    conn.request("POST", path, body=body, headers={"Content-Type": "text/xml"})
    answer = conn.getresponse()
    data = answer.read()
    return answer.status == 200 and b"<Encrypt>" in data[:40]


def closed_loop(port: int, reqs: list[tuple[str, bytes]], concurrency: int, seconds: float) -> float:
    done, lock, stop_at = [0], threading.Lock(), time.monotonic() + seconds
    cursor = iter(reqs)

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop_at:
            with lock:
                item = next(cursor, None)
            if item is None or not send(conn, *item):
                return
            with lock:
                done[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started)


def open_loop(port: int, reqs: list[tuple[str, bytes]], rate: float, connections: int) -> tuple[float, float, int]:
    """p50 and p99 in ms at a fixed offered rate, counted from each request's scheduled time; failures."""
    start = time.monotonic() + 0.2
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for index in range(offset, len(reqs), connections):
            due = start + index / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            ok = send(conn, *reqs[index])
            with lock:
                latencies.append((time.monotonic() - due) * 1000)
                failures[0] += not ok

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99) - 1], failures[0]


Result = tuple[float, float, float, float]  # msg/s, server CPU µs per message, p50 ms, p99 ms


def measure(server: Server, rules: int, args: argparse.Namespace) -> Result:
    cpu, started = server.cpu_seconds(), time.monotonic()
    throughput = closed_loop(server.port, requests_for(int(4000 * args.seconds), rules), args.concurrency,
                             args.seconds)
    messages = throughput * (time.monotonic() - started)
    cpu_per_message = (server.cpu_seconds() - cpu) / messages * 1e6
    p50, p99, failed = open_loop(server.port, requests_for(int(args.rate * args.seconds), rules), args.rate,
                                 args.connections)
    if failed:
        raise SystemExit(f"{failed} requests failed")
    return throughput, cpu_per_message, p50, p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    configs = [("oaspec", OURS, 10), ("oaspec", OURS, 10_000), ("wechatpy", BASELINE, 10),
               ("wechatpy", BASELINE, 10_000), ("bare", BARE, 10)]
    runs: dict[tuple[str, int], list[Result]] = {(name, rules): [] for name, _, rules in configs}
    with tempfile.TemporaryDirectory() as scratch:
        servers = [Server(code, rules, args.workers, Path(scratch)) for _, code, rules in configs]
        try:
            for server, (_, _, rules) in zip(servers, configs, strict=True):
                closed_loop(server.port, requests_for(400, rules), 8, 2.0)  # warm every worker and path
            for round_number in range(1, args.rounds + 1):
                for server, (name, _, rules) in zip(servers, configs, strict=True):
                    runs[(name, rules)].append(result := measure(server, rules, args))
                    print(f"round {round_number}: {name:<9} rules={rules:<6} max={result[0]:6.0f} msg/s "
                          f"server CPU={result[1]:5.0f} µs/msg   at {args.rate:.0f} msg/s: p50={result[2]:8.2f} ms "
                          f"p99={result[3]:8.2f} ms", flush=True)
        finally:
            for server in servers:
                server.close()
    med = {key: tuple(statistics.median(r[i] for r in results) for i in range(4)) for key, results in runs.items()}
    print(f"\nmedians over {args.rounds} rounds:")
    for (name, rules), (throughput, cpu, p50, p99) in med.items():
        print(f"{name:<9} rules={rules:<6} max={throughput:6.0f} msg/s  server CPU={cpu:5.0f} µs/msg  "
              f"p50={p50:8.2f} ms  p99={p99:8.2f} ms")
    for rules in (10, 10_000):
        ours, base = med[("oaspec", rules)], med[("wechatpy", rules)]
        print(f"rules={rules}: throughput oaspec/wechatpy = {ours[0] / base[0]:.2f}x (target >= 2x); server CPU "
              f"per message wechatpy/oaspec = {base[1] / ours[1]:.2f}x; p99 ratio = {ours[3] / base[3]:.2f}")
    print(f"oaspec p99 10,000 rules / 10 rules = {med[('oaspec', 10_000)][3] / med[('oaspec', 10)][3]:.2f} "
          "(target <= 1.3)")
    bare_cpu, base_cpu = med[("bare", 10)][1], med[("wechatpy", 10)][1]
    print(f"the server alone (bare app) costs {bare_cpu:.0f} µs/msg: even a handler that cost nothing would be at "
          f"most {base_cpu / bare_cpu:.2f}x cheaper per message than wechatpy's ({base_cpu:.0f} µs/msg) behind this "
          "server")


if __name__ == "__main__":
    main()
