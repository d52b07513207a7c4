"""`python -m data …`: the data commands of the one command line (:mod:`cli`)."""

import sys

from cli.data_commands import main

sys.exit(main())
