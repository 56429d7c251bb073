"""``python -m cslibrary``: see :mod:`cslibrary.cli`."""

from .cli import main

raise SystemExit(main())
