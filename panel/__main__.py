"""`python -m panel …`: the panel commands of the one command line (:mod:`cli`)."""

import sys

from cli.panel_commands import main

sys.exit(main())
