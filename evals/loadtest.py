"""Load test against a running app on this computer: concurrent simulated users through gradio_client.

    python -m evals.loadtest --users 20 --seconds 60 --url http://127.0.0.1:7860
    python -m evals.loadtest --users 20 --seconds 60 --url http://127.0.0.1:7861 --url http://127.0.0.1:7862

Each user is one gradio_client session (its own conversation state) that asks questions from a fixed list through
the same endpoint the page uses (/chat), with follow-ups, clearing its conversation every few questions. The run is
bounded: at most 100 users, at most 600 seconds, loopback URLs only; when time is up no new question is started and
the script waits at most --request-timeout seconds for questions in flight, then prints requests served, errors and
latency percentiles (and exits 1 if any request failed). With --upload FILE, one more session uploads that file a
third of the way in (as a person adding a document while others ask), and the upload's duration is reported.
Several --url values spread the users over several workers (user n asks worker n mod the number of workers), as a
proxy that keeps each browser on one worker would; the upload goes to the first.
"""

from __future__ import annotations

import argparse
import ipaddress
import random
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

MAX_USERS = 100
MAX_SECONDS = 600

QUESTIONS = [
    "What is a district theory of action?",
    "What does indicator 11a look like at Getting Better?",
    "And at Keep Improving?",
    "What are the seven systems in LEAD CT?",
    "How should principal supervisors support school leaders?",
    "What does UVA-PLE say about tight/loose principal autonomy?",
    "What is coherence making?",
    "How can a district build public will for improvement?",
    "What does the rubric say about practice 3 at Getting Started?",
    "How do districts attract, hire and onboard school leaders?",
    "What are the process outcomes of Deepening Learning?",
    "How do I bake sourdough bread?",  # an abstention now and then
]


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] += 1


def check_url(url: str) -> str:
    """The URL without a trailing slash; refuses anything that is not http(s) on a loopback address."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"not an http URL: {url}")
    host = parsed.hostname
    loopback = host == "localhost"
    if not loopback:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
    if not loopback:
        raise ValueError(f"refusing to load-test {host}: only this computer (127.0.0.1 / localhost) is allowed")
    return url.rstrip("/")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    i = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[i]


def user(n: int, url: str, deadline: float, request_timeout: float, auth, stats: Stats, seed: int) -> None:
    from gradio_client import Client

    rng = random.Random(seed + n)
    try:
        client = Client(url, auth=auth, verbose=False, download_files=False)
    except Exception as exc:
        stats.error(f"connect: {type(exc).__name__}")
        return
    asked = 0
    while time.monotonic() < deadline:
        question = rng.choice(QUESTIONS)
        t0 = time.perf_counter()
        try:
            job = client.submit(question, "All frameworks", api_name="/chat")
            out = job.result(timeout=request_timeout)
            notice = out[4] if isinstance(out, (list, tuple)) and len(out) > 4 else ""
            if notice and "limit" not in str(notice):
                stats.error("answer notice")
            else:
                stats.ok(time.perf_counter() - t0)
        except TimeoutError:
            stats.error("timeout")
        except Exception as exc:
            stats.error(type(exc).__name__)
        asked += 1
        if asked % 4 == 0:
            try:
                client.predict(api_name="/clear")
            except Exception as exc:
                stats.error(f"clear: {type(exc).__name__}")
    try:
        client.close()
    except Exception:
        pass


def uploader(url: str, path: Path, at: float, auth, stats: Stats, timeout: float) -> None:
    """Upload one file through /upload `at` seconds after the start, timing it (a library change mid-run)."""
    from gradio_client import Client, handle_file

    time.sleep(at)
    t0 = time.perf_counter()
    try:
        client = Client(url, auth=auth, verbose=False, download_files=False)
        job = client.submit([handle_file(str(path))], api_name="/upload")
        result = job.result(timeout=timeout)
        ok = 'data-status="added"' in str(result[0]) or 'data-status="updated"' in str(result[0])
        stats.upload = (time.perf_counter() - t0, "added" if ok else "refused")  # type: ignore[attr-defined]
    except Exception as exc:
        stats.upload = (time.perf_counter() - t0, f"failed: {type(exc).__name__}")  # type: ignore[attr-defined]


def run(url: str | list[str], users: int, seconds: float, request_timeout: float = 60.0, auth=None, seed: int = 7,
        upload: Path | None = None, upload_at: float | None = None) -> Stats:
    """Ask questions as `users` concurrent users for `seconds`; with `upload`, one file is added mid-way."""
    stats = Stats()
    start = time.monotonic()
    deadline = start + seconds
    urls = [url] if isinstance(url, str) else list(url)
    threads = [threading.Thread(target=user, args=(i, urls[i % len(urls)], deadline, request_timeout, auth, stats,
                                                   seed), name=f"user-{i}", daemon=True) for i in range(users)]
    if upload is not None:
        at = seconds / 3 if upload_at is None else upload_at
        threads.append(threading.Thread(target=uploader, args=(urls[0], upload, at, auth, stats, MAX_SECONDS),
                                        name="uploader", daemon=True))
    for t in threads:
        t.start()
        time.sleep(min(0.1, seconds / max(users, 1) / 10))  # stagger connections a little
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + request_timeout + 5)
    stats.elapsed = time.monotonic() - start  # type: ignore[attr-defined]
    stats.stragglers = sum(t.is_alive() for t in threads)  # type: ignore[attr-defined]
    return stats


def report(stats: Stats, users: int, seconds: float) -> str:
    lat = stats.latencies
    served = len(lat)
    errors = sum(stats.errors.values())
    elapsed = getattr(stats, "elapsed", seconds)
    lines = [
        f"users: {users}   duration: {elapsed:.1f} s (asked for {seconds:g} s)",
        f"requests served: {served}   errors: {errors}   throughput: {served / elapsed:.2f} answers/s",
    ]
    if lat:
        lines.append(f"latency p50: {percentile(lat, 50):.2f} s   p95: {percentile(lat, 95):.2f} s   "
                     f"max: {max(lat):.2f} s   mean: {statistics.fmean(lat):.2f} s")
    if stats.errors:
        lines.append("errors by kind: " + ", ".join(f"{k}: {v}" for k, v in stats.errors.most_common()))
    if getattr(stats, "upload", None):
        seconds_taken, outcome = stats.upload
        lines.append(f"upload during the run: {outcome} in {seconds_taken:.1f} s")
    if getattr(stats, "stragglers", 0):
        lines.append(f"warning: {stats.stragglers} user(s) still waiting at exit (abandoned)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.loadtest", description=__doc__.split("\n\n")[0])
    p.add_argument("--url", action="append", default=None,
                   help="the running app (loopback only); repeat it for several workers (default :7860)")
    p.add_argument("--users", type=int, default=20, help=f"concurrent simulated users (1–{MAX_USERS})")
    p.add_argument("--seconds", type=float, default=60, help=f"how long to keep asking (1–{MAX_SECONDS})")
    p.add_argument("--request-timeout", type=float, default=60, help="give up on one answer after this long")
    p.add_argument("--auth", default="", help="user:password when the app requires sign-in")
    p.add_argument("--upload", type=Path, default=None, help="a file to upload while the users ask (once)")
    p.add_argument("--upload-at", type=float, default=None, help="seconds into the run (default: a third)")
    args = p.parse_args(argv)
    try:
        urls = [check_url(u) for u in (args.url or ["http://127.0.0.1:7860"])]
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not 1 <= args.users <= MAX_USERS or not 1 <= args.seconds <= MAX_SECONDS:
        print(f"error: --users must be 1–{MAX_USERS} and --seconds 1–{MAX_SECONDS}", file=sys.stderr)
        return 2
    auth = tuple(args.auth.split(":", 1)) if args.auth else None
    from assistant.offline import enforce_offline

    enforce_offline()
    print(f"Load test: {args.users} users for {args.seconds:g} s against {', '.join(urls)} …", flush=True)
    stats = run(urls, args.users, args.seconds, args.request_timeout, auth, upload=args.upload,
                upload_at=args.upload_at)
    print(report(stats, args.users, args.seconds))
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
