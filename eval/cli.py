"""The `landqa` console script: qa's serving commands plus the developer tools that live in eval/.

qa never imports eval (data flows one way), so the full command line is assembled here, on the
eval side: each module contributes its commands through `register(subparsers)`.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from eval import bench, loadtest, runner, tune
from qa import cli
from qa.config import Settings

if TYPE_CHECKING:
    from qa.cli import Subparsers


def _without_settings(register_cli: Callable[[Subparsers], argparse.ArgumentParser]) -> Callable[[Subparsers], None]:
    """Register a command whose handler still takes only its arguments (it reads the Settings itself)."""

    def register(subparsers: Subparsers) -> None:
        parser = register_cli(subparsers)
        handler = parser.get_default("func")

        def call(args: argparse.Namespace, settings: Settings) -> int:
            return int(handler(args) or 0)

        parser.set_defaults(func=call)

    return register


def _register_loadtest(subparsers: Subparsers) -> None:
    _without_settings(loadtest.register_cli)(subparsers)
    subparsers.choices["loadtest"].set_defaults(needs_corpus=False)  # it talks to a running server


REGISTRARS = (cli.register, _without_settings(runner.register_cli), tune.register, bench.register, _register_loadtest)


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, REGISTRARS)


if __name__ == "__main__":
    sys.exit(main())
