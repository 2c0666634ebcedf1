"""The analysts' web page: FastAPI + server-rendered Jinja2, read-only on the store.

    uvicorn "pipeline.web.app:app_from_env" --factory      # or: minutes serve

Pages: /actions and /decisions (filters, sortable columns, paging, export buttons),
/documents/{id} (metadata, agenda, the text with the items highlighted; ?item=N focuses one),
/compare (region/topic heat map and trend chart), /stats. Exports: /export/{actions|decisions}.
{csv|xlsx|json|ics} and /export/compare.{csv|xlsx|json}, with the page's filters.

Safety: the database is opened read-only (pipeline.query.read_only_engine); every query is a
parameterised SQLAlchemy statement; templates autoescape everything; only GET and HEAD are
served (anything else is 405); responses carry a strict Content-Security-Policy (no inline
scripts, only this app's own static files — nothing is loaded from a CDN).
"""
from __future__ import annotations

import math
import os
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session
from starlette.middleware.base import BaseHTTPMiddleware

from .. import query as q
from ..export import MEDIA_TYPES, export_compare, export_items
from .charts import heat_class, trend_chart

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
EXPORT_LIMIT = 100_000
COMPARE_TABLE_LIMIT = 300  # rows of the comparison table on the page (the exports have all)
SAFE_METHODS = {"GET", "HEAD"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class ReadOnlyAndHeaders(BaseHTTPMiddleware):
    """Reject every method that could write; add security headers to every response."""

    async def dispatch(self, request: Request, call_next):
        if request.method not in SAFE_METHODS:
            response: Response = JSONResponse({"detail": "read-only: only GET and HEAD are allowed"}, status_code=405,
                                              headers={"Allow": "GET, HEAD"})
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(TOPICS=q.TOPICS, METRICS=q.METRICS, heat_class=heat_class)
    return env


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return max(low, min(high, number))


def _query_string(params: dict[str, Any], **changes: Any) -> str:
    """A URL query for `params` with `changes` (None removes a key); lists repeat the key."""
    merged = {**params, **changes}
    pairs = []
    for key, value in merged.items():
        if value in (None, "", [], False):
            continue
        for v in value if isinstance(value, list) else [value]:
            pairs.append((key, "1" if v is True else str(v)))
    return urlencode(pairs)


def _filter_params(request: Request) -> dict[str, Any]:
    """The filter parameters of the request that the pages carry on (for links and exports)."""
    keep = ("country", "county", "region", "municipality", "body", "responsible", "language", "from", "to",
            "deadline_from", "deadline_to", "overdue", "today", "q")
    out: dict[str, Any] = {k: request.query_params.get(k) for k in keep if request.query_params.get(k)}
    topics = [t for t in request.query_params.getlist("topic") if t]
    if topics:
        out["topic"] = topics
    return out


def create_app(db: str | None = None) -> FastAPI:
    """The app on the store at `db` (default: MINUTES_DATABASE_URL, else sqlite:///var/minutes.sqlite)."""
    engine = q.read_only_engine(db)
    q.check_schema(engine)
    env = _environment()
    app = FastAPI(title="minutes", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(ReadOnlyAndHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.state.engine = engine

    def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context), status_code=status)

    def session() -> Session:
        return Session(engine)

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index() -> RedirectResponse:
        return RedirectResponse("/actions", status_code=302)

    @app.api_route("/favicon.ico", methods=["GET", "HEAD"], include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.api_route("/healthz", methods=["GET", "HEAD"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    def item_page(request: Request, kind: str) -> HTMLResponse:
        filters = q.Filters.from_params(request.query_params)
        sort = request.query_params.get("sort") or ("deadline" if kind == "action" else "meeting_date")
        if sort not in q.SORT_KEYS:
            sort = "deadline" if kind == "action" else "meeting_date"
        descending = request.query_params.get("desc") in ("1", "true", "on")
        size = _int(request.query_params.get("size"), PAGE_SIZE, 1, MAX_PAGE_SIZE)
        page = _int(request.query_params.get("page"), 1, 1, 1_000_000)
        with session() as s:
            total = q.count_items(s, filters, kind)
            rows = q.list_items(s, filters, kind, sort=sort, descending=descending, limit=size,
                                offset=(page - 1) * size)
            options = q.choices(s)
        params = _filter_params(request)
        pages = max(1, math.ceil(total / size))
        return render("items.html", kind=kind, rows=rows, total=total, page=page, pages=pages, size=size,
                      sort=sort, desc=descending, filters=filters, errors=filters.errors(), options=options,
                      params=params, qs=lambda **changes: _query_string(
                          {**params, "sort": sort, "desc": descending or None, "size": size if size != PAGE_SIZE else None},
                          **changes),
                      export_qs=_query_string({**params, "sort": sort, "desc": descending or None}))

    @app.api_route("/actions", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def actions(request: Request) -> HTMLResponse:
        return item_page(request, "action")

    @app.api_route("/decisions", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def decisions(request: Request) -> HTMLResponse:
        return item_page(request, "decision")

    @app.api_route("/export/{name}.{fmt}", methods=["GET", "HEAD"])
    def export(request: Request, name: str, fmt: str) -> Response:
        if name == "compare":
            if fmt not in ("csv", "xlsx", "json"):
                return render("error.html", status=404, message="No such export.")
            rows, *_ = compare_rows(request)
            data = export_compare(rows, fmt)
        elif name in ("actions", "decisions") and fmt in ("csv", "xlsx", "json", "ics"):
            kind = name[:-1]
            filters = q.Filters.from_params(request.query_params)
            sort = request.query_params.get("sort")
            sort = sort if sort in q.SORT_KEYS else ("deadline" if kind == "action" else "meeting_date")
            with session() as s:
                rows = q.list_items(s, filters, kind, sort=sort, limit=EXPORT_LIMIT,
                                    descending=request.query_params.get("desc") in ("1", "true", "on"))
            data = export_items(rows, fmt, name=name)
        else:
            return render("error.html", status=404, message="No such export.")
        return Response(data, media_type=MEDIA_TYPES[fmt],
                        headers={"Content-Disposition": f'attachment; filename="minutes-{name}.{fmt}"'})

    @app.api_route("/documents/{document_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def document(request: Request, document_id: str) -> HTMLResponse:
        focus = _int(request.query_params.get("item"), 0, 0, 2**62)
        with session() as s:
            found = q.find_document(s, document_id) if len(document_id) <= 128 else None
            view = q.get_document(s, found) if found else None
        if view is None:
            return render("error.html", status=404, message="No such document.")
        focused = next((r for r in view.items if r.id == focus), None)
        agenda = q.agenda_of(view, focused.start) if focused else None
        numbers = {r.id: n for n, r in enumerate(view.items, start=1)}
        return render("document.html", doc=view, segments=q.segments(view.text, view.items), focus=focus,
                      focused=focused, focused_agenda=agenda, numbers=numbers)

    def compare_rows(request: Request):
        by = request.query_params.get("by") or "region"
        by = by if by in q.GROUPINGS else "region"
        period = request.query_params.get("period") or "year"
        period = period if period in q.PERIODS else "year"
        filters = q.Filters.from_params(request.query_params)
        topics = [t for t in filters.topics if t in q.TOPICS]
        problems = filters.errors()
        with session() as s:
            rows = [] if problems else q.compare(s, by, topics, period, replace(filters, topics=[]))
        return rows, by, period, topics, filters, problems

    @app.api_route("/compare", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def compare(request: Request) -> HTMLResponse:
        rows, by, period, topics, filters, problems = compare_rows(request)
        metric = request.query_params.get("metric") or "actions_per_document"
        metric = metric if metric in q.METRICS else "actions_per_document"
        groups, topic_ids, values = q.heat_map(rows, metric)
        top = max(values.values(), default=0.0)
        periods, series = q.trend(rows, metric)
        # the trend chart shows the groups with the most activity (at most 8)
        ranked = sorted(series, key=lambda g: -sum(series[g].values()))[:8]
        chart = trend_chart(periods, {g: series[g] for g in ranked}, q.METRICS[metric])
        params = _filter_params(request)
        base = {**params, "by": by, "period": period, "metric": metric}
        with session() as s:
            options = q.choices(s)
        return render("compare.html", rows=rows, by=by, period=period, topics=topics, metric=metric, groups=groups,
                      topic_ids=topic_ids, values=values, top=top, chart=chart, filters=filters, errors=problems,
                      options=options, params=params, export_qs=_query_string(base), table_limit=COMPARE_TABLE_LIMIT,
                      item_qs=lambda **changes: _query_string(params, **changes))

    @app.api_route("/stats", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def statistics(request: Request) -> HTMLResponse:
        today = request.query_params.get("today")
        with session() as s:
            data = q.stats(s, today=today if today and q._valid_date(today) and len(today) == 10 else None)
        return render("stats.html", data=data)

    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory`: the store of MINUTES_DATABASE_URL."""
    return create_app(os.environ.get("MINUTES_DATABASE_URL"))
