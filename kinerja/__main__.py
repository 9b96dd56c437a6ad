"""The ``kinerja`` command: Django's manage.py under a friendly name.

``kinerja --help`` lists Kinerja's own commands first; ``kinerja help --all`` lists Django's too.
"""

from __future__ import annotations

import os
import sys

OUR_PACKAGE = "kinerja"


def _print_our_commands() -> None:
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    ours = sorted(name for name, app in get_commands().items() if app.startswith(OUR_PACKAGE))
    print("Usage: kinerja <command> [options]\n")
    print("Kinerja commands:")
    for name in ours:
        command = load_command_class(get_commands()[name], name)
        summary = (command.help or "").strip().splitlines()[0] if command.help else ""
        print(f"  {name:<14} {summary}")
    print(
        "\nEvery Django command works too (migrate, runserver, createsuperuser, ...):"
        " 'kinerja help --all' lists them,\n'kinerja <command> --help' explains one."
    )


def version() -> str:
    """Kinerja's own version, from the installed package's metadata (pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version(OUR_PACKAGE)
    except PackageNotFoundError:  # a checkout that was never installed
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    argv[0] = "kinerja"
    if argv[1:] in (["--version"], ["version"]):
        import django

        print(f"Kinerja {version()} (Django {django.get_version()})")
        return
    if len(argv) == 1 or argv[1:] in (["--help"], ["-h"], ["help"]):
        _print_our_commands()
        return
    if argv[1:] == ["help", "--all"]:
        argv = [argv[0], "help"]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
