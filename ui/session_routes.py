"""HTTP routes beside the Streamlit app that put the staff sign-in cookie in the browser.

Why: a Streamlit page cannot set an HttpOnly cookie (its script talks to the browser over a
websocket). ``server.py`` mounts these two routes on the same server (``st.App``):

- ``POST /auth/session`` with the one-time handoff nonce of a fresh sign-in
  (:func:`data.staff_sessions.redeem_handoff`) answers with ``Set-Cookie: seoul_session=…;
  HttpOnly; SameSite=Strict; Path=/; Max-Age=…`` (``Secure`` behind HTTPS);
- ``POST /auth/signout`` ends the session the cookie names and deletes the cookie.

The page posts to them from a small script (:func:`hand_cookie_over`, :func:`drop_cookie`).
Neither route reveals why it refused: a bad nonce is a plain 403.
"""

from __future__ import annotations

import json

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from data.config import session_policy
from data.staff_sessions import SIGN_OUT, end_session, redeem_handoff, resolve
from ui.context import SESSION_COOKIE, opened_store

MAX_BODY = 1024


def _route(path: str) -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/{path}" if base else f"/{path}"


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


async def _handoff(request: Request) -> Response:
    store = opened_store()
    body = await request.body()
    if store is None or len(body) > MAX_BODY:
        return Response(status_code=403)
    try:
        nonce = str(json.loads(body or b"{}").get("handoff", ""))
        token, seconds = await run_in_threadpool(redeem_handoff, store, nonce)
    except (LookupError, ValueError, AttributeError):
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=seconds,
        path=_route(""),
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


async def _sign_out(request: Request) -> Response:
    store = opened_store()
    token = request.cookies.get(SESSION_COOKIE)
    if store is not None and token:
        found = await run_in_threadpool(resolve, store, session_policy(), token=token)
        if found.session is not None:
            await run_in_threadpool(
                lambda: end_session(
                    store, found.session.session_id, SIGN_OUT, actor=found.session.user.username
                )
            )
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(SESSION_COOKIE, path=_route(""), httponly=True, samesite="strict")
    return response


def routes() -> list[Route]:
    """The routes ``server.py`` mounts beside the app."""
    return [
        Route(_route("auth/session"), _handoff, methods=["POST"]),
        Route(_route("auth/signout"), _sign_out, methods=["POST"]),
    ]


def _post(path: str, payload: dict | None = None) -> None:
    """Post from the page, same origin, the cookie travelling as the browser decides."""
    body = json.dumps(payload or {})
    st.html(
        "<script>fetch(" + json.dumps(_route(path)) + ", {method: 'POST', credentials:"
        " 'same-origin', headers: {'Content-Type': 'application/json'}, body: "
        + json.dumps(body)
        + "});</script>",
        unsafe_allow_javascript=True,
    )


def hand_cookie_over(handoff: str) -> None:
    """Have the browser redeem a fresh sign-in's handoff nonce for the session cookie."""
    _post("auth/session", {"handoff": handoff})


def drop_cookie() -> None:
    """Have the browser end its cookie's session (if any) and forget the cookie."""
    _post("auth/signout")
