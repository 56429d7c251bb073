"""``python -m calculators``: see :mod:`calculators.cli`."""

import sys

try:
    from .cli import console
except KeyboardInterrupt:  # Ctrl-C while the command starts
    sys.stderr.write("error: interrupted\n")
    sys.exit(130)

sys.exit(console())
