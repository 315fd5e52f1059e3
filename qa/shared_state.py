"""State replicas share through Redis (LANDQA_REDIS_URL): moving-window rate limits and the index version they watch."""
from __future__ import annotations

import argparse
import hashlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypedDict

from pydantic import BaseModel

from qa.config import Settings, load_settings

if TYPE_CHECKING:
    from qa.engine import Engine

log = logging.getLogger("landqa.shared_state")

VERSION_KEY = "landqa:index:version"  # a hash: version, generation, announced_by, announced_at
KEY_PREFIX = "landqa"
# A replica must answer even when Redis hangs: every Redis call gives up after this long.
REDIS_TIMEOUT_S = 0.5
# After a failure Redis is left alone this long, so a dead Redis costs one attempt per interval, not one per request.
RETRY_AFTER_FAILURE_S = 5.0
RedisState = Literal["off", "up", "down"]

# Bump the generation only when the version differs, atomically, so replicas starting together announce once.
_ANNOUNCE_IF_CHANGED = """
if redis.call('HGET', KEYS[1], 'version') == ARGV[1] then
  return tonumber(redis.call('HGET', KEYS[1], 'generation'))
end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'announced_by', ARGV[2], 'announced_at', ARGV[3])
return redis.call('HINCRBY', KEYS[1], 'generation', 1)
"""


class SharedStateUnavailable(RuntimeError):
    """Redis cannot be reached and LANDQA_REDIS_FAIL_OPEN is false: the request is refused (503)."""


class LocalLimiter(Protocol):
    """The per-process limiter (qa.api.limits.RateLimiter) used when Redis is off, or down and failing open."""

    def check(self, bucket: str, now: float | None = None) -> float | None: ...


class Announcement(BaseModel):
    """The index version replicas should serve, as held in Redis."""

    version: str
    generation: int
    announced_by: str = ""
    announced_at: float = 0.0


def replica_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _bucket_id(bucket: str) -> str:
    # Buckets name API keys; Redis key names are visible to whoever can read Redis, so they are hashed.
    return hashlib.sha256(bucket.encode()).hexdigest()[:32]


class RedisHealth:
    """Whether Redis answered last time; logs one line when it goes down and one when it is back."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.state: RedisState = "up"  # until a call fails; /readyz starts the watcher, which calls Redis first
        self.error = ""
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def skip(self) -> bool:
        """True while a recent failure says not to try Redis yet."""
        return self.state == "down" and time.monotonic() < self._retry_at

    def ok(self) -> None:
        with self._lock:
            if self.state == "down":
                log.warning("redis %s reachable again: rate limits and the index version are shared again", _safe_url(self.url))
            self.state, self.error = "up", ""

    def failed(self, error: BaseException, fail_open: bool) -> None:
        with self._lock:
            self._retry_at = time.monotonic() + RETRY_AFTER_FAILURE_S
            if self.state != "down":
                then = ("each replica applies its own limits (LANDQA_REDIS_FAIL_OPEN=true)" if fail_open
                        else "rate-limited requests get 503 (LANDQA_REDIS_FAIL_OPEN=false)")
                log.error("redis %s unreachable (%s: %s): %s", _safe_url(self.url), type(error).__name__, error, then)
            self.state, self.error = "down", f"{type(error).__name__}: {error}"


def _safe_url(url: str) -> str:
    """The URL without its password, for logs and /readyz."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=f"{parts.username or ''}:***@{netloc}").geturl()


def _redis_errors() -> tuple[type[BaseException], ...]:
    from limits.errors import StorageError
    from redis.exceptions import RedisError

    return (StorageError, RedisError, OSError)


class RedisRateLimiter:
    """The interface of qa.api.limits.RateLimiter over the `limits` library's moving window in Redis (atomic, shared)."""

    def __init__(self, url: str, per_minute: int, local: LocalLimiter, fail_open: bool, health: RedisHealth) -> None:
        from limits import RateLimitItemPerMinute
        from limits.storage import RedisStorage
        from limits.strategies import MovingWindowRateLimiter

        storage = RedisStorage(url, key_prefix=KEY_PREFIX, wrap_exceptions=True,
                               socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S)
        self.per_minute = per_minute
        self._strategy = MovingWindowRateLimiter(storage)
        self._item = RateLimitItemPerMinute(per_minute, namespace="rate")
        self._local = local
        self._fail_open = fail_open
        self._health = health

    def check(self, bucket: str, now: float | None = None) -> float | None:
        """Record a hit; None when allowed, else the seconds until the next one is (the shared window)."""
        if not self._health.skip():
            identifier = _bucket_id(bucket)
            try:
                if self._strategy.hit(self._item, identifier):
                    self._health.ok()
                    return None
                stats = self._strategy.get_window_stats(self._item, identifier)
                self._health.ok()
                return max(0.0, stats.reset_time - time.time())
            except _redis_errors() as error:
                self._health.failed(error, self._fail_open)
        if self._fail_open:
            return self._local.check(bucket, now)
        raise SharedStateUnavailable(self._health.error)


class VersionStore:
    """The announced index version in Redis: read by every replica, bumped by whoever changed the index."""

    def __init__(self, url: str) -> None:
        import redis

        self._client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S, decode_responses=True)
        self._if_changed = self._client.register_script(_ANNOUNCE_IF_CHANGED)

    def read(self) -> Announcement | None:
        fields: dict[str, str] = self._client.hgetall(VERSION_KEY)  # type: ignore[assignment]  # sync client, decoded
        return Announcement.model_validate(fields) if fields.get("version") else None

    def announce(self, version: str, by: str | None = None) -> int:
        """Tell every replica to load `version` (again): the generation always goes up."""
        pipe = self._client.pipeline(transaction=True)
        pipe.hset(VERSION_KEY, mapping={"version": version, "announced_by": by or replica_name(), "announced_at": str(time.time())})
        pipe.hincrby(VERSION_KEY, "generation", 1)
        return int(pipe.execute()[1])

    def announce_if_changed(self, version: str, by: str | None = None) -> int:
        """Announce `version` unless it is the one already announced; the generation either way."""
        return int(self._if_changed(keys=[VERSION_KEY], args=[version, by or replica_name(), str(time.time())]))

    def close(self) -> None:
        self._client.close()


def engine_version(engine: Engine) -> str:
    """The index version an engine serves: its index folder's name (corpus, model, encoder and lexicon digest)."""
    return str(engine.index.directory.name)


class WatcherStatus(TypedDict):
    """What /readyz shows of the watcher."""

    announced_version: str | None
    generation: int
    reloading: bool
    reloads: int
    reload_error: str | None


class ReplicaWatcher:
    """Follows the announced index version: on a new generation, loads and checks the index, then swaps engines.

    The old engine serves every request until the new one is loaded and its files checked against
    their manifest (qa.index's load); a version that cannot be loaded leaves the old one serving.
    """

    def __init__(self, settings: Settings, store: VersionStore, health: RedisHealth,
                 get_engine: Callable[[], Engine], set_engine: Callable[[Engine], None], loader: Callable[[Settings], Engine]) -> None:
        self.settings = settings
        self.store = store
        self.health = health
        self.get_engine = get_engine
        self.set_engine = set_engine
        self.loader = loader
        self.seen_generation = 0
        self.announced: Announcement | None = None
        self.reloading = False
        self.reloads = 0
        self.reload_error: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Announce this replica's version if it is new, then poll in a daemon thread."""
        if self._thread is not None:
            return
        self._announce_own()
        self._thread = threading.Thread(target=self._run, name="landqa-version-watch", daemon=True)
        self._thread.start()

    def _announce_own(self) -> None:
        try:
            self.seen_generation = self.store.announce_if_changed(engine_version(self.get_engine()))
            self.announced = self.store.read()
            self.health.ok()
        except _redis_errors() as error:
            self.health.failed(error, self.settings.redis_fail_open)

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.settings.redis_version_poll_s):
            self.poll()

    def poll(self) -> None:
        """One look at Redis; reloads (in this thread) when a new generation was announced."""
        try:
            announced = self.store.read()
            self.health.ok()
        except _redis_errors() as error:
            self.health.failed(error, self.settings.redis_fail_open)
            return
        if announced is None or announced.generation < self.seen_generation:
            # Redis lost its data (restarted without persistence, flushed): put this replica's version back.
            self._announce_own()
            return
        if announced.generation == self.seen_generation:
            return
        self.seen_generation = announced.generation
        self.announced = announced
        self._reload(announced)

    def _reload(self, announced: Announcement) -> None:
        served = engine_version(self.get_engine())
        directory = self.settings.build_dir / "index" / announced.version
        if not directory.is_dir():
            self.reload_error = f"announced index {announced.version} is not in {directory.parent}; serving {served}"
            log.warning(self.reload_error)
            return
        self.reloading = True
        started = time.perf_counter()
        try:
            engine = self.loader(self.settings)
            warm_up = getattr(engine.embedder, "warm_up", None)
            if callable(warm_up):
                warm_up()
        except Exception as error:  # any failure to load keeps the old engine serving
            self.reload_error = f"reload of {announced.version} failed ({type(error).__name__}: {error}); serving {served}"
            log.error(self.reload_error)
            return
        finally:
            self.reloading = False
        loaded = engine_version(engine)
        if loaded != announced.version:
            # The corpus or model on this replica's disk gives another index: serving it would split the replicas.
            self.reload_error = f"announced index {announced.version} but this replica's files give {loaded}; serving {served}"
            log.warning(self.reload_error)
            return
        self.set_engine(engine)
        self.reloads += 1
        self.reload_error = None
        log.warning("index %s loaded and checked in %.1f s (generation %d); was %s", loaded, time.perf_counter() - started, announced.generation, served)

    def status(self) -> WatcherStatus:
        announced = self.announced
        return {
            "announced_version": announced.version if announced else None,
            "generation": self.seen_generation,
            "reloading": self.reloading,
            "reloads": self.reloads,
            "reload_error": self.reload_error,
        }


class SharedState:
    """Everything a replica shares through Redis, built from the settings when LANDQA_REDIS_URL is set."""

    def __init__(self, settings: Settings, local: LocalLimiter) -> None:
        assert settings.redis_url, "SharedState needs LANDQA_REDIS_URL"
        self.settings = settings
        self.health = RedisHealth(settings.redis_url)
        self.rate_limiter = RedisRateLimiter(settings.redis_url, settings.rate_limit_per_minute, local, settings.redis_fail_open, self.health)
        self.store = VersionStore(settings.redis_url)
        self.watcher: ReplicaWatcher | None = None
        self._lock = threading.Lock()

    def watch(self, get_engine: Callable[[], Engine], set_engine: Callable[[Engine], None], loader: Callable[[Settings], Engine]) -> None:
        """Start following the announced index version (once)."""
        with self._lock:
            if self.watcher is None:
                self.watcher = ReplicaWatcher(self.settings, self.store, self.health, get_engine, set_engine, loader)
                self.watcher.start()

    def status(self) -> dict[str, object]:
        """For /readyz: Redis state and what the watcher knows (no address: /readyz is public)."""
        return {"redis": self.health.state, "redis_error": self.health.error or None,
                **(self.watcher.status() if self.watcher else {})}

    def close(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        self.store.close()


def latest_index(build_dir: Path) -> str:
    """The most recently built index folder: what `landqa index` just wrote."""
    folders = [p for p in (build_dir / "index").glob("*") if p.is_dir() and not p.name.startswith(".")]
    if not folders:
        raise SystemExit(f"no index in {build_dir / 'index'}: run `landqa index` first")
    return max(folders, key=lambda p: p.stat().st_mtime).name


def main(argv: list[str] | None = None) -> None:
    """`python -m qa.shared_state announce [--version KEY]`: after `landqa index`, tell every replica to load it."""
    parser = argparse.ArgumentParser(prog="python -m qa.shared_state", description=main.__doc__)
    parser.add_argument("command", choices=["announce", "show"])
    parser.add_argument("--version", help="index folder name under build/index (default: the newest)")
    args = parser.parse_args(argv)
    settings = load_settings()
    if not settings.redis_url:
        raise SystemExit("LANDQA_REDIS_URL is not set")
    store = VersionStore(settings.redis_url)
    if args.command == "announce":
        version = args.version or latest_index(settings.build_dir)
        print(f"announced {version}, generation {store.announce(version)}")
    else:
        print(store.read())


if __name__ == "__main__":
    main()
