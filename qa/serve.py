"""`landqa serve`: the app in one process, or N worker processes forked (gunicorn) from one loaded engine whose memory they share."""
from __future__ import annotations

import gc
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from qa.config import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from qa.engine import Engine

log = logging.getLogger(__name__)
WORKER_CLASS = "uvicorn_worker.UvicornWorker"
WARM_UP_QUESTION = "未经批准占用一般耕地2000平方米罚多少？"


def usable_cores() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def serve(settings: Settings, workers: int | None = None) -> None:
    """Load the engine once, then answer on settings.host:port with `workers` processes (default: one per core).

    With several workers the engine (corpus, rules, jieba's dictionary, the memory-mapped indexes
    and word embeddings, and the ONNX session when each worker runs one thread) is loaded before
    they are forked, so they share its pages instead of each loading a copy; a session with a
    thread pool is made in each worker instead, before it accepts connections. Nothing listens
    until the engine is loaded.
    """
    workers = workers or usable_cores()
    # Loading makes millions of objects and next to no garbage, and the collector would walk them again and
    # again as they pile up (0.4 s of a 2.8 s start measured): it stays off while loading, and what is loaded is frozen.
    gc.disable()
    try:
        import uvicorn

        from qa.api.app import create_app
        from qa.embedding import Embedder
        from qa.engine import load_engine

        if workers <= 1:
            gc.enable()
            # One process: it listens at once (/healthz answers, /readyz says "loading") and loads in its lifespan.
            uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")
            return
        engine = load_engine(settings)
        embedder = engine.embedder
        assert isinstance(embedder, Embedder), embedder
        if not embedder.variant.startswith("onnx"):
            gc.enable()
            # torch's OpenMP pool does not survive a fork; the ONNX path has no such pool to lose.
            log.warning("encoder %s cannot be forked safely: serving with one worker", embedder.variant)
            embedder.warm_up()
            uvicorn.run(create_app(settings, engine), host=settings.host, port=settings.port, log_level="warning")
            return
        app = create_app(settings, engine)
        threads = max(1, usable_cores() // workers)  # the workers are the parallelism
        embedder.set_threads(threads)
        if threads == 1:
            # A one-thread session has no thread pool to lose at the fork: made here, it is shared by every
            # worker (its weights in shared pages), and each worker's warm-up only encodes once.
            embedder.release()  # a session with a pool (from an index build) would only be dead weight in the workers
            embedder.warm_up()
            engine.ask(WARM_UP_QUESTION)
        else:
            warm_up_without_session(engine)
            embedder.release()  # a session with a thread pool would be unusable in the forked workers
        # Frozen without a collection first (as the gc module's documentation advises before a fork): a full
        # collection walks the ~280k objects loaded to free about 1 MB of cycles (0.13 s of CPU measured), and
        # the workers' collectors never write to what is frozen, so its pages stay shared.
        gc.freeze()
    finally:
        gc.enable()
    _run_gunicorn(app, settings, workers, warm_up=embedder.warm_up)


def warm_up_without_session(engine: Engine) -> None:
    """Answer once, so what the engine loads on first use (speller, rules, patterns) is loaded before the fork.

    The answer's query vector is a stand-in: an ONNX session made here would be dropped at the fork
    (each worker makes its own), so start-up does not pay for one more session and one more encoding.
    """
    dim = engine.embedder.dim

    def stand_in(query: str) -> np.ndarray:
        return np.zeros(dim, np.float32)

    engine.ranker.query_vector = stand_in  # type: ignore[method-assign]
    try:
        engine.ask(WARM_UP_QUESTION)
    finally:
        del engine.ranker.query_vector  # the instance attribute goes; the method serves again


def _run_gunicorn(app: FastAPI, settings: Settings, workers: int, warm_up: Callable[[], None]) -> None:
    from gunicorn.app.base import BaseApplication

    options: dict[str, object] = {
        "bind": _bind(settings.host, settings.port),
        "workers": workers,
        "worker_class": WORKER_CLASS,
        "loglevel": "warning",
        "accesslog": None,  # the app logs one JSON line per request itself
        "graceful_timeout": 10,
        # A worker's event loop stays free while requests run in its thread pool, so a worker
        # silent this long is stuck and is replaced (forked again from the loaded master).
        "timeout": 60,
        "post_worker_init": lambda worker: warm_up(),
    }

    class Server(BaseApplication):  # gunicorn ships no type information: BaseApplication is Any
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> FastAPI:
            return app

    Server().run()
