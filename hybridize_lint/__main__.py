"""``python -m hybridize_lint`` runs the command-line interface."""

import os
import sys

# `python -m` puts the working directory first on sys.path: a project module named like one we
# import (difflib.py, tomllib.py, …) would run. The tool never executes the code it analyses.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from .cli import main  # noqa: E402

sys.exit(main())
