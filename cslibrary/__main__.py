"""``python -m cslibrary``: see :mod:`cslibrary.cli`."""

from .cli import main

if __name__ == "__main__":  # importing the module (doctest collection, tools) runs nothing
    raise SystemExit(main())
