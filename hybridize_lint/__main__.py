"""``python -m hybridize_lint`` runs the command-line interface."""

import sys

from .cli import main

sys.exit(main())
