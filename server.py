"""The web server: the Streamlit app (``app.py``) and the routes that set the sign-in cookie.

Run with ``make run`` (``streamlit run server.py``). ``st.App`` serves the same app as
``streamlit run app.py`` would, plus the two routes of :mod:`ui.session_routes`, so a
staff sign-in survives a reload and a new tab through an HttpOnly cookie. Once the
server is up, the pages' modules are imported in the background (:func:`ui.warm_up.warm_up`),
so the first visit to a page does not wait for its libraries. An unexpected error shows the
user a reference, and its traceback goes to the log (:mod:`ui.errors`).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st

from ui.errors import report
from ui.session_routes import routes
from ui.warm_up import warm_up


@asynccontextmanager
async def _warm_up_pages(_app: st.App) -> AsyncIterator[None]:
    threading.Thread(target=warm_up, name="warm-up-pages", daemon=True).start()
    yield


app = st.App("app.py", routes=routes(), lifespan=_warm_up_pages, on_script_error=report)
