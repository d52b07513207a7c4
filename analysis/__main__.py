"""`python -m analysis …`: the analysis commands of the one command line (:mod:`cli`)."""

import sys

from cli.analysis_commands import main

sys.exit(main())
