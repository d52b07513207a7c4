"""What staff take away and look at, written to the audit log from the pages.

Two helpers, so every page audits the same way:

- :func:`audited_download` is ``st.download_button`` whose ``on_click`` callback writes a
  ``download`` event (who, the survey, the kind of file, its format and name, its rows)
  when the button is pressed — the moment the file leaves, once per press. The callback
  runs before the rerun the press starts; a page's own ``then`` (forgetting a file that is
  offered once) runs after the event is written.
- :func:`audit_view_once` writes a view of personal data or of the quarantine the first
  time this browser session sees it with these parameters, not on every rerun (a rerun
  redraws the same view on every widget change): the session keeps the views it has
  audited, by who saw them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import streamlit as st

from data.audit import log_download, log_event
from ui.context import current_user, get_store

SEEN = "audit_views_seen"  # session_state: the views this session has written to the log


def _who() -> tuple[str, str | None]:
    user = current_user()
    return ("signed-out", None) if user is None else (user.username, user.role)


def audited_download(
    where: Any,
    label: str,
    data: bytes,
    *,
    file_name: str,
    mime: str,
    key: str,
    kind: str,
    survey_id: int | None = None,
    survey: str | None = None,
    fmt: str | None = None,
    rows: int | None = None,
    then: Callable[[], None] | None = None,
) -> None:
    """A download button (on ``where``: ``st``, a column, the sidebar) that audits each press."""

    def pressed() -> None:
        actor, role = _who()
        log_download(
            get_store(),
            actor,
            kind=kind,
            survey_id=survey_id,
            survey=survey,
            fmt=fmt or file_name.rpartition(".")[2],
            rows=rows,
            file=file_name,
            role=role,
        )
        if then is not None:
            then()

    where.download_button(label, data, file_name=file_name, mime=mime, key=key, on_click=pressed)


def audit_view_once(
    action: str,
    target: str,
    params: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> bool:
    """Write ``action`` on ``target`` unless this session already did for these ``params``
    (what the view was asked for); ``extra`` (what it showed, e.g. how many records) goes in
    the event but does not make a view new. Whether it was written now."""
    params = params or {}
    seen: set[str] = st.session_state.setdefault(SEEN, set())
    actor, role = _who()
    key = json.dumps([actor, action, target, params], sort_keys=True, default=str)
    if key in seen:
        return False
    log_event(get_store(), actor, action, target, {**params, **(extra or {}), "role": role})
    seen.add(key)
    return True
