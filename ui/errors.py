"""What a user sees when something unexpected breaks: a calm message with a reference, never a
traceback; the traceback goes to the server's log under the same reference.

``server.py`` hands :func:`report` to ``st.App(on_script_error=…)``, and
``.streamlit/config.toml`` sets ``client.showErrorDetails = "none"`` for anything that
escapes it. An administrator finds the error in the log by its reference.
"""

from __future__ import annotations

import logging
import secrets

import streamlit as st

from ui.i18n import t

LOG = logging.getLogger("seoul.app")


def report(error: BaseException) -> bool:
    """Log the error with a new reference and tell the user that reference; True: handled."""
    reference = secrets.token_hex(4).upper()
    LOG.error("unexpected error, reference %s", reference, exc_info=error)
    st.error(t("unexpected_error", reference=reference))
    return True
