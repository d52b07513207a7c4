"""`python -m surveys …`: the surveys commands of the one command line (:mod:`cli`)."""

import sys

from cli.surveys_commands import main

sys.exit(main())
