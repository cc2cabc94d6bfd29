"""The ASGI application of ``fzcheck serve``: pages for people, ``/api`` for programs.

Every route asks ``security`` who is calling and whether the role allows it; every stored run is
read through ``runs.load_run`` with the caller's ``Scope``, so an agency clerk's request never
returns another agency's outcomes or counts, whatever its filters. Uploads are written to a
private temporary folder under the size limit, then read by the same readers as the CLI (with
their guards against XLSX, zip and YAML bombs); what a report shows as the file is the name the
user uploaded, never the server's path.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import dataclasses
import datetime as dt
import functools
import io
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi import (
    Depends,
    FastAPI,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    UploadFile,
)
from fastapi import Path as PathParameter
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.middleware.sessions import SessionMiddleware

from ... import __version__
from ...models.fields import parse_date
from ...models.records import FIELD_ALIASES, FIELD_TYPES
from ..evaluate.audit import AuditParams, AuditScope, run_audit, summary_table
from ..evaluate.check import check_files
from ..outcomes.results import Report
from ..output import RenderOptions, render, render_report
from ..output.common import (
    KIND_LABELS,
    OUTCOME_LABELS,
    SEVERITY_LABELS,
    spreadsheet_safe,
)
from ..output.display import evidence_text
from ..rules.packs import default_catalog
from ..store.database import connect
from ..store.importer import import_paths, quarantined_rows
from ..store.runs import (
    OutcomeFilter,
    RunIncomplete,
    RunNotFound,
    Scope,
    diff_runs,
    list_runs,
    load_run,
)
from ..store.users import (
    PERMISSIONS,
    ROLE_LABELS,
    ROLES,
    AccountError,
    LoginRefused,
    User,
    access_entries,
    add_user,
    authenticate,
    list_users,
    log_access,
    set_disabled,
)
from . import security
from .jobs import JobRunner, get_job, wait_for
from .texts import TEXT

HERE = Path(__file__).resolve().parent
#: the API's caller, resolved before any parameter is validated: no credentials is 401, whatever else is wrong
API_USER = Depends(security.api_user)
#: ids of runs and jobs: positive and within every database's integer (a larger one is 422, not a driver error)
MAX_ID = 2**31 - 1
#: every format of `fzcheck check --format` (cli/common.FORMATS), as downloads of a check
CHECK_FORMATS = ("json", "jsonl", "sarif", "junit", "csv", "markdown", "github", "table")
MEDIA_TYPES = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "github": "text/plain; charset=utf-8",
    "sarif": "application/sarif+json",
    "junit": "application/xml",
    "csv": "text/csv; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "table": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: what an upload may be: the record files of the readers, and for checks a document's own text
SUFFIXES = {".json", ".jsonl", ".ndjson", ".yaml", ".yml", ".csv", ".xlsx", ".docx", ".pdf", ".txt"}
#: a check's uploaded files are kept this long for its download links, then removed
CHECK_KEPT_SECONDS = 3600
OUTCOME_PAGE = 200


@dataclasses.dataclass
class Settings:
    """How the server runs; ``from_env`` reads the FZCHECK_* variables ``fzcheck serve`` sets for its workers."""

    db_url: str | None = None
    #: signs the session cookies; all workers of one server must share it (``fzcheck serve`` does that)
    secret_key: str = dataclasses.field(default_factory=lambda: secrets.token_urlsafe(32))
    max_upload_bytes: int = 50 * 1024 * 1024
    #: seconds a request may take before it is answered 504 (the work it started is not interrupted)
    request_timeout: float = 300.0
    secure_cookies: bool = False
    job_workers: int = 2
    audit_jobs: int = 1
    upload_dir: Path | None = None

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            db_url=env.get("FZCHECK_DB"),
            secret_key=env.get("FZCHECK_SECRET_KEY") or secrets.token_urlsafe(32),
            max_upload_bytes=int(float(env.get("FZCHECK_MAX_UPLOAD_MB", "50")) * 1024 * 1024),
            request_timeout=float(env.get("FZCHECK_REQUEST_TIMEOUT", "300")),
            secure_cookies=env.get("FZCHECK_SECURE_COOKIES") == "1",
            upload_dir=Path(env["FZCHECK_UPLOAD_DIR"]) if env.get("FZCHECK_UPLOAD_DIR") else None,
        )


class UploadTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


def app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call (``fzcheck serve --workers N``)."""
    return create_app(Settings.from_env())


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    engine = connect(settings.db_url)
    upload_root = settings.upload_dir or Path(tempfile.mkdtemp(prefix="fzcheck-serve-"))
    upload_root.mkdir(parents=True, exist_ok=True)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        _app.state.jobs.shutdown()  # background imports and audits finish before the process ends

    app = FastAPI(
        title="fzcheck",
        version=__version__,
        lifespan=lifespan,
        description="法治政府建设合规检查 / compliance checks for rule-of-law government requirements. "
        "Authenticate with `Authorization: Bearer TOKEN` (`fzcheck user token NAME`).",
    )
    app.state.engine = engine
    app.state.settings = settings
    app.state.jobs = JobRunner(engine, settings.job_workers)
    app.state.uploads = upload_root
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="fzcheck_session",
        same_site="strict",
        https_only=settings.secure_cookies,
        max_age=8 * 3600,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")

    @app.middleware("http")
    async def limits(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_upload_bytes + 1024 * 1024:
            return _error(request, 413, _too_large(settings.max_upload_bytes, _lang(request)))
        try:
            return await asyncio.wait_for(call_next(request), settings.request_timeout)
        except TimeoutError:
            return _error(request, 504, "请求超时 / the request took too long")

    def page(request: Request, name: str, user: User | None, status_code: int = 200, **context) -> HTMLResponse:
        lang = _lang(request)
        return templates.TemplateResponse(
            request,
            name,
            {
                "t": TEXT[lang],
                "lang": lang,
                "user": user,
                "csrf": security.csrf_token(request),
                "role_labels": ROLE_LABELS[lang],
                "version": __version__,
                **context,
            },
            status_code=status_code,
        )

    def _error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": message}, status_code=status)
        lang = _lang(request)
        return templates.TemplateResponse(
            request,
            "error.html",
            {
                "t": TEXT[lang],
                "lang": lang,
                "user": None,
                "csrf": "",
                "role_labels": ROLE_LABELS[lang],
                "version": __version__,
                "status": status,
                "message": message,
            },
            status_code=status,
        )

    @app.exception_handler(security.NotLoggedIn)
    async def _to_login(request: Request, exc: security.NotLoggedIn):
        return RedirectResponse(f"/login?next={_safe_next(request.url.path)}", status_code=303)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        response = _error(request, exc.status_code, str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(UploadTooLarge)
    async def _upload_too_large(request: Request, exc: UploadTooLarge):
        return _error(request, 413, _too_large(exc.limit, _lang(request)))

    # --- accounts -------------------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, next: str = "/"):
        return page(request, "login.html", None, next=_safe_next(next), failed=None)

    @app.post("/login", include_in_schema=False)
    def login(
        request: Request, name: str = Form(...), password: str = Form(...), csrf: str = Form(""), next: str = Form("/")
    ):
        security.check_csrf(request, csrf)
        client = security.client_address(request)
        try:
            user = authenticate(engine, name, password, client)
        except LoginRefused as exc:
            return page(request, "login.html", None, status_code=429, next=_safe_next(next), failed=str(exc))
        if user is None:
            return page(
                request,
                "login.html",
                None,
                status_code=401,
                next=_safe_next(next),
                failed=TEXT[_lang(request)]["login_failed"],
            )
        lang = request.session.get("lang")
        request.session.clear()  # a new session (and CSRF token) for the account: no fixation
        request.session.update({"user": user.name, **({"lang": lang} if lang else {})})
        return RedirectResponse(_safe_next(next), status_code=303)

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf: str = Form("")):
        security.check_csrf(request, csrf)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    @app.get("/lang/{lang}", include_in_schema=False)
    def switch_language(request: Request, lang: str, next: str = "/"):
        if lang not in TEXT:
            raise HTTPException(404, "unknown language")
        request.session["lang"] = lang
        return RedirectResponse(_safe_next(next), status_code=303)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        user = security.page_user(request)
        return page(request, "home.html", user, permissions=PERMISSIONS[user.role])

    # --- checks ---------------------------------------------------------------------------------

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_form(request: Request):
        user = security.page_user(request)
        security.require(user, "check")
        return page(
            request, "check.html", user, fields=_document_form_fields(_lang(request)), today=dt.date.today().isoformat()
        )

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_page(request: Request):
        user = security.page_user(request)
        security.require(user, "check")
        form = await request.form()
        security.check_csrf(request, str(form.get("csrf") or ""))
        lang = _lang(request)
        options = _check_options(form.get("as_of"), form.getlist("ruleset"), form.get("absent_steps"), lang)
        uploads = [item for item in form.getlist("file") if isinstance(item, StarletteUploadFile) and item.filename]
        folder = _new_upload_folder(app.state.uploads / "checks")
        try:
            if uploads:
                names = [await _save_upload(item, folder, settings.max_upload_bytes) for item in uploads]
            else:
                names = [_save_document_form(form, folder)]
        except BadUpload as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise HTTPException(400, str(exc)) from exc
        report = await asyncio.to_thread(_run_check, folder, names, options, kept_for=user.name)
        log_access(engine, user.name, "check", ", ".join(names), security.client_address(request))
        _forget_old_checks(app.state.uploads / "checks")
        return page(
            request,
            "findings.html",
            user,
            report=report,
            rows=_finding_rows(report, lang),
            check_id=folder.name,
            formats=CHECK_FORMATS,
            options=options,
        )

    @app.get("/check/{check_id}/download", include_in_schema=False)
    async def check_download(request: Request, check_id: str, format: str = "json"):
        user = security.page_user(request)
        security.require(user, "check")
        if format not in CHECK_FORMATS or not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", check_id):
            raise HTTPException(404, TEXT[_lang(request)]["not_found"])
        folder = app.state.uploads / "checks" / check_id
        meta = folder / "check.json"
        if not meta.is_file() or json.loads(meta.read_text("utf-8")).get("user") != user.name:
            raise HTTPException(404, TEXT[_lang(request)]["not_found"])
        saved = json.loads(meta.read_text("utf-8"))
        report = await asyncio.to_thread(_run_check, folder, saved["names"], saved["options"])
        body = _render(report, format, saved["options"]["lang"])
        return Response(
            body,
            media_type=MEDIA_TYPES[format],
            headers={"Content-Disposition": f'attachment; filename="fzcheck-report.{_suffix(format)}"'},
        )

    @app.post("/api/check", tags=["check"], summary="Check uploaded record files (the JSON report of `fzcheck check`)")
    async def api_check(
        request: Request,
        user: User = API_USER,
        file: list[UploadFile] = File(...),
        as_of: str | None = Query(None, description="YYYY-MM-DD; default today"),
        ruleset: list[str] = Query([], description="apply these packs regardless of region/date"),
        absent_steps: str = Query("indeterminate", pattern="^(indeterminate|violation)$"),
        lang: str = Query("zh", pattern="^(zh|en)$"),
        format: str = Query("json", pattern="^(json|jsonl|sarif|junit|csv|markdown|github)$"),
    ):
        security.require(user, "check")
        options = _check_options(as_of, ruleset, absent_steps, lang)
        folder = _new_upload_folder(app.state.uploads / "checks")
        try:
            names = [await _save_upload(item, folder, settings.max_upload_bytes) for item in file]
        except BadUpload as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise HTTPException(400, str(exc)) from exc
        try:
            report = await asyncio.to_thread(_run_check, folder, names, options)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        log_access(engine, user.name, "api-check", ", ".join(names), security.client_address(request))
        return Response(
            _render(report, format, lang),
            media_type=MEDIA_TYPES[format],
            headers={"X-Fzcheck-Exit-Code": str(report.exit_code("error"))},
        )

    # --- imports --------------------------------------------------------------------------------

    def _start_import(user: User, names: list[str], folder: Path) -> int:
        def work(report) -> dict[str, Any]:
            total = len(names)

            def progress(file: str, done: int, expected: int | None) -> None:
                report(done, expected, Path(file).name)

            result = import_paths(engine, [folder / name for name in names], progress=progress, jobs=1)
            report(total, total)
            return {
                "files": [
                    {
                        "file": Path(item.file).name,
                        "import_id": item.import_id,
                        "inserted": item.inserted,
                        "updated": item.updated,
                        "unchanged": item.unchanged,
                        "quarantined": item.quarantined + item.already_quarantined,
                    }
                    for item in result.files
                ],
                "skipped": [{"file": Path(issue.file).name, "message": issue.message} for issue in result.skipped],
            }

        return app.state.jobs.submit("import", user.name, work)

    async def _saved_uploads(files: list, folder: Path) -> list[str]:
        try:
            return [await _save_upload(item, folder, settings.max_upload_bytes) for item in files]
        except BadUpload as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise HTTPException(400, str(exc)) from exc

    @app.get("/imports", response_class=HTMLResponse, include_in_schema=False)
    def imports_page(request: Request):
        user = security.page_user(request)
        if not (user.may("import") or user.role == "agency"):
            raise HTTPException(403, TEXT[_lang(request)]["forbidden"])
        return page(request, "imports.html", user, rows=_quarantine_for(user)[:500])

    @app.post("/imports", include_in_schema=False)
    async def imports_upload(request: Request):
        user = security.page_user(request)
        security.require(user, "import")
        form = await request.form()
        security.check_csrf(request, str(form.get("csrf") or ""))
        uploads = [item for item in form.getlist("file") if isinstance(item, StarletteUploadFile) and item.filename]
        if not uploads:
            raise HTTPException(400, "请选择要导入的文件 / choose a file to import")
        folder = _new_upload_folder(app.state.uploads / "imports")
        names = await _saved_uploads(uploads, folder)
        job_id = _start_import(user, names, folder)
        log_access(engine, user.name, "import", ", ".join(names), security.client_address(request))
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    @app.get("/imports/quarantine.csv", include_in_schema=False)
    def quarantine_csv(request: Request):
        user = security.page_user(request)
        if not (user.may("import") or user.role == "agency"):
            raise HTTPException(403, TEXT[_lang(request)]["forbidden"])
        return Response(
            _quarantine_csv(_quarantine_for(user), _lang(request)),
            media_type=MEDIA_TYPES["csv"],
            headers={"Content-Disposition": 'attachment; filename="quarantine.csv"'},
        )

    @app.post(
        "/api/imports",
        tags=["imports"],
        status_code=202,
        summary="Import register files into the records database (a background job)",
    )
    async def api_import(
        request: Request,
        user: User = API_USER,
        file: list[UploadFile] = File(...),
        wait: bool = Query(False, description="answer when the import has finished"),
    ):
        security.require(user, "import")
        folder = _new_upload_folder(app.state.uploads / "imports")
        names = await _saved_uploads(file, folder)
        job_id = _start_import(user, names, folder)
        log_access(engine, user.name, "api-import", ", ".join(names), security.client_address(request))
        job = await asyncio.to_thread(wait_for, engine, job_id) if wait else get_job(engine, job_id)
        return JSONResponse(_job_json(job), status_code=200 if wait else 202)

    # --- audits and runs ------------------------------------------------------------------------

    def _start_audit(user: User, as_of: dt.date, region: str | None, year: int | None) -> int:
        if user.region and not (region or "").startswith(user.region):
            region = user.region  # a region's auditor audits their region
        params = AuditParams(as_of=as_of, scope=AuditScope(region=region, year=year))

        def work(report) -> dict[str, Any]:
            result = run_audit(
                engine, params, jobs=settings.audit_jobs, progress=lambda done, total: report(done, total)
            )
            return {"run_id": result.run_id, "summary": result.summary()}

        return app.state.jobs.submit("audit", user.name, work)

    @app.get("/runs", response_class=HTMLResponse, include_in_schema=False)
    def runs_page(request: Request):
        user = security.page_user(request)
        security.require(user, "read_runs")
        return page(request, "runs.html", user, runs=_runs_for(user), today=dt.date.today().isoformat())

    @app.post("/audits", include_in_schema=False)
    def audit_start(
        request: Request, csrf: str = Form(""), as_of: str = Form(""), region: str = Form(""), year: str = Form("")
    ):
        user = security.page_user(request)
        security.require(user, "audit")
        security.check_csrf(request, csrf)
        job_id = _start_audit(user, _parse_date(as_of, _lang(request)), region.strip() or None, _parse_year(year))
        log_access(
            engine, user.name, "audit", f"as_of={as_of} region={region} year={year}", security.client_address(request)
        )
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)

    @app.post(
        "/api/audits", tags=["audits"], status_code=202, summary="Start an audit of the database (a background job)"
    )
    async def api_audit(
        request: Request,
        user: User = API_USER,
        as_of: str | None = Query(None),
        region: str | None = Query(None),
        year: int | None = Query(None, ge=1900, le=2199),
        wait: bool = Query(False),
    ):
        security.require(user, "audit")
        job_id = _start_audit(user, _parse_date(as_of or "", lang="en"), region, year)
        log_access(
            engine,
            user.name,
            "api-audit",
            f"as_of={as_of} region={region} year={year}",
            security.client_address(request),
        )
        job = await asyncio.to_thread(wait_for, engine, job_id, 600.0) if wait else get_job(engine, job_id)
        return JSONResponse(_job_json(job), status_code=200 if wait else 202)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(request: Request, job_id: int = PathParameter(ge=1, le=MAX_ID)):
        user = security.page_user(request)
        job = get_job(engine, job_id)
        if job is None or (job["user_name"] != user.name and user.role != "admin"):
            raise HTTPException(404, TEXT[_lang(request)]["not_found"])
        return page(request, "job.html", user, job=job)

    @app.get("/api/jobs/{job_id}", tags=["imports", "audits"], summary="A background job's state and result")
    def api_job(request: Request, job_id: int = PathParameter(ge=1, le=MAX_ID), user: User = API_USER):
        job = get_job(engine, job_id)
        if job is None or (job["user_name"] != user.name and user.role != "admin"):
            raise HTTPException(404, "no such job")
        return _job_json(job)

    def _runs_for(user: User) -> list[dict[str, Any]]:
        runs = list_runs(engine)
        for run in runs:
            if user.scope:  # the run's totals are everyone's: a scoped account sees its part on the run page
                run["summary"] = None
                run["records"] = None
        return list(reversed(runs))

    @app.get("/api/runs", tags=["runs"], summary="Stored audit runs, newest first")
    def api_runs(request: Request, user: User = API_USER):
        security.require(user, "read_runs")
        return [
            {
                "id": run["id"],
                "status": run["status"],
                "as_of": run["as_of"].isoformat(),
                "started_at": run["started_at"].isoformat(timespec="seconds"),
                "records": run["records"],
                "summary": run["summary"],
                "rerun_of": run["rerun_of"],
            }
            for run in _runs_for(user)
        ]

    def _shown(rule: list[str], kind: list[str], outcome: list[str], agency: str | None, month: str | None):
        return OutcomeFilter(
            rules=tuple(item.upper() for item in rule if item),
            kinds=tuple(k for k in kind if k),
            outcomes=tuple(o for o in outcome if o),
            agency=agency or None,
            month=month or None,
        )

    def _load(user: User, run_id: int, shown: OutcomeFilter | None = None):
        try:
            return load_run(engine, run_id, OutcomeFilter() if shown is None else shown, scope=user.scope)
        except RunNotFound:
            raise HTTPException(404, f"没有第{run_id}批次 / no run {run_id}") from None

    @app.get(
        "/api/runs/{run_id}/outcomes",
        tags=["runs"],
        summary="A run's outcomes with the drill-down filters (the JSON of `fzcheck audit show`)",
    )
    def api_outcomes(
        request: Request,
        run_id: int = PathParameter(ge=1, le=MAX_ID),
        user: User = API_USER,
        rule: list[str] = Query([]),
        kind: list[str] = Query([]),
        outcome: list[str] = Query([]),
        agency: str | None = Query(None),
        month: str | None = Query(None, pattern=r"^\d{4}-\d{2}$"),
        lang: str = Query("zh", pattern="^(zh|en)$"),
    ):
        security.require(user, "read_runs")

        report = _load(user, run_id, _shown(rule, kind, outcome, agency, month))
        return Response(render_report(report, "json", lang), media_type="application/json")

    @app.get("/runs/{run_id}", response_class=HTMLResponse, include_in_schema=False)
    def run_page(
        request: Request,
        run_id: int = PathParameter(ge=1, le=MAX_ID),
        rule: str = "",
        kind: str = "",
        outcome: str = "",
        agency: str = "",
        month: str = "",
        page_no: int = Query(1, alias="page", ge=1),
    ):
        user = security.page_user(request)
        security.require(user, "read_runs")

        lang = _lang(request)
        shown = _shown([rule], [kind], [outcome], agency, month if re.fullmatch(r"\d{4}-\d{2}", month) else None)
        report = _load(user, run_id, shown)
        rows = _finding_rows(report, lang, include_pass=False)
        start = (page_no - 1) * OUTCOME_PAGE
        by_rule = [(name, counts.get("violation", 0)) for name, counts in summary_table(report, "rule")][:20]
        by_month = [(name, counts.get("violation", 0)) for name, counts in summary_table(report, "month")]
        other_runs = [run["id"] for run in list_runs(engine) if run["id"] != run_id and run["status"] == "done"]
        return page(
            request,
            "run.html",
            user,
            report=report,
            rows=rows[start : start + OUTCOME_PAGE],
            total_rows=len(rows),
            page_no=page_no,
            pages=max(1, -(-len(rows) // OUTCOME_PAGE)),
            by_rule=_bars(by_rule),
            by_month=_bars(by_month),
            filters={"rule": rule, "kind": kind, "outcome": outcome, "agency": agency, "month": month},
            other_runs=other_runs,
            scope=user.scope.to_dict(),
        )

    @app.get("/runs/{run_id}/report.{fmt}", include_in_schema=False)
    def run_report(request: Request, fmt: str, run_id: int = PathParameter(ge=1, le=MAX_ID)):
        user = security.page_user(request)
        security.require(user, "read_runs")
        if fmt not in ("html", "xlsx", "json", "csv"):
            raise HTTPException(404, TEXT[_lang(request)]["not_found"])

        body = render_report(_load(user, run_id), fmt, _lang(request))
        log_access(engine, user.name, "download", f"run {run_id} {fmt}", security.client_address(request))
        return Response(
            body,
            media_type=MEDIA_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="fzcheck-run-{run_id}.{fmt}"'},
        )

    @app.get("/runs/{run_a}/diff/{run_b}", response_class=HTMLResponse, include_in_schema=False)
    def diff_page(
        request: Request, run_a: int = PathParameter(ge=1, le=MAX_ID), run_b: int = PathParameter(ge=1, le=MAX_ID)
    ):
        user = security.page_user(request)
        security.require(user, "read_runs")
        lang = _lang(request)
        try:
            diff = diff_runs(engine, run_a, run_b, scope=user.scope)
        except RunNotFound as exc:
            raise HTTPException(404, str(exc)) from None
        except RunIncomplete as exc:
            raise HTTPException(409, str(exc)) from None
        sections = [
            (TEXT[lang][name], [_outcome_row(o, lang) for o in outcomes])
            for name, outcomes in (("new", diff.new), ("resolved", diff.resolved), ("persisting", diff.persisting))
        ]
        return page(
            request,
            "diff.html",
            user,
            run_a=run_a,
            run_b=run_b,
            sections=sections,
            by_rule=diff.by("rule"),
            scope=user.scope.to_dict(),
        )

    # --- administration -------------------------------------------------------------------------

    @app.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
    def users_page(request: Request, problem: str | None = None):
        user = security.page_user(request)
        security.require(user, "admin")
        return page(request, "users.html", user, users=list_users(engine), roles=ROLES, problem=problem)

    @app.post("/admin/users", include_in_schema=False)
    def users_add(
        request: Request,
        csrf: str = Form(""),
        name: str = Form(...),
        role: str = Form(...),
        password: str = Form(...),
        agency: str = Form(""),
        region: str = Form(""),
    ):
        user = security.page_user(request)
        security.require(user, "admin")
        security.check_csrf(request, csrf)
        try:
            add_user(engine, name.strip(), role, password, agency=agency.strip() or None, region=region.strip() or None)
        except AccountError as exc:
            return page(
                request, "users.html", user, status_code=400, users=list_users(engine), roles=ROLES, problem=str(exc)
            )
        log_access(engine, user.name, "user-add", f"{name} ({role})", security.client_address(request))
        return RedirectResponse("/admin/users", status_code=303)

    @app.post("/admin/users/{name}/{action}", include_in_schema=False)
    def users_toggle(request: Request, name: str, action: str, csrf: str = Form("")):
        user = security.page_user(request)
        security.require(user, "admin")
        security.check_csrf(request, csrf)
        if action not in ("disable", "enable"):
            raise HTTPException(404, TEXT[_lang(request)]["not_found"])
        try:
            set_disabled(engine, name, action == "disable")
        except AccountError as exc:
            raise HTTPException(404, str(exc)) from None
        log_access(engine, user.name, f"user-{action}", name, security.client_address(request))
        return RedirectResponse("/admin/users", status_code=303)

    @app.get("/admin/log", response_class=HTMLResponse, include_in_schema=False)
    def log_page(request: Request):
        user = security.page_user(request)
        security.require(user, "admin")
        return page(request, "log.html", user, entries=access_entries(engine))

    @app.get("/healthz", include_in_schema=False)
    def health() -> PlainTextResponse:
        return PlainTextResponse("ok")

    def _quarantine_for(user: User) -> list[dict[str, Any]]:
        return [row for row in quarantined_rows(engine) if _row_in_scope(row, user.scope)]

    return app


# --- helpers (no state of their own) ---------------------------------------------------------------


class BadUpload(ValueError):
    """An upload that is not a record file fzcheck reads (named in the message)."""


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or (request.session.get("lang") if "session" in request.scope else None)
    return lang if lang in TEXT else "zh"


def _safe_next(value: str) -> str:
    """Only a path of this site (never //host or a scheme): no open redirect after login."""
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


def _too_large(limit: int, lang: str) -> str:
    megabytes = round(limit / (1024 * 1024), 2)
    return f"上传文件超过{megabytes:g} MB的限制" if lang == "zh" else f"the upload exceeds the {megabytes:g} MB limit"


def _new_upload_folder(parent: Path) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    folder = parent / secrets.token_urlsafe(18)
    folder.mkdir()
    return folder


def _safe_name(filename: str) -> str:
    """The uploaded file's own name, without any folder part and without characters a file system
    or a later shell would read specially (what the report shows as the file)."""
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", name).strip(" .") or "upload"
    return name[:200]


async def _save_upload(item: StarletteUploadFile, folder: Path, limit: int) -> str:
    name = _safe_name(item.filename or "upload")
    if Path(name).suffix.lower() not in SUFFIXES:
        raise BadUpload(
            f"{name}：不支持的文件类型，应为 {'、'.join(sorted(SUFFIXES))} / "
            f"{name}: unsupported file type; expected one of {', '.join(sorted(SUFFIXES))}"
        )
    base, suffix, counter = Path(name).stem, Path(name).suffix, 1
    while (folder / name).exists():  # two uploads of the same name keep both
        counter += 1
        name = f"{base} ({counter}){suffix}"
    written = 0
    with open(folder / name, "wb") as out:
        while chunk := await item.read(1024 * 1024):
            written += len(chunk)
            if written > limit:
                raise UploadTooLarge(limit)
            out.write(chunk)
    if written == 0:
        raise BadUpload(f"{name}：文件为空 / {name}: the file is empty")
    return name


def _document_form_fields(lang: str) -> list[dict[str, str]]:
    """The metadata form of one normative document, from the model's fields (not a copied list)."""
    aliases = FIELD_ALIASES["normative_document"]
    fields = []
    for name, kind in FIELD_TYPES["normative_document"].items():
        if name in ("kind", "doc_number_normalized", "doc_number_suspect"):
            continue
        chinese = next((alias for alias, target in aliases.items() if target == name and alias != name), name)
        fields.append({"name": name, "type": kind, "label": chinese if lang == "zh" else name.replace("_", " ")})
    return fields


def _save_document_form(form, folder: Path) -> str:
    record: dict[str, Any] = {"kind": "normative_document"}
    for name in FIELD_TYPES["normative_document"]:
        value = form.get(f"doc.{name}")
        if isinstance(value, str) and value.strip():
            record[name] = value.strip()
    if len(record) == 1:
        raise BadUpload("请上传文件或填写文件要素 / upload a file or fill in the document's metadata")
    record.setdefault("id", "draft")
    (folder / "draft.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    return "draft.json"


def _parse_date(value: str | None, lang: str) -> dt.date:
    if not value:
        return dt.date.today()

    try:
        return parse_date(value)
    except ValueError:
        raise HTTPException(400, f"无法识别的日期“{value}” / not a date: {value!r}") from None


def _parse_year(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not re.fullmatch(r"(19|20|21)\d\d", value):
        raise HTTPException(400, f"年度应为四位数字，收到“{value}” / a year is four digits, got {value!r}")
    return int(value)


def _check_options(as_of, rulesets, absent_steps, lang: str) -> dict[str, Any]:
    catalog = default_catalog()
    chosen = [item for item in (rulesets or []) if item]
    unknown = [item for item in chosen if item not in catalog.packs]
    if unknown:
        raise HTTPException(400, f"未知规则包：{'、'.join(unknown)} / unknown ruleset: {', '.join(unknown)}")
    steps = absent_steps or "indeterminate"
    if steps not in ("indeterminate", "violation"):
        raise HTTPException(400, "absent_steps: indeterminate | violation")
    return {
        "as_of": _parse_date(as_of if isinstance(as_of, str) else None, lang).isoformat(),
        "rulesets": chosen,
        "absent_steps": steps,
        "lang": lang,
    }


def _run_check(folder: Path, names: list[str], options: dict[str, Any], *, kept_for: str | None = None) -> Report:
    """The check of ``fzcheck check`` over the saved uploads, the report naming the uploaded files."""
    paths = [folder / name for name in names]
    report = check_files(
        paths,
        as_of=dt.date.fromisoformat(options["as_of"]),
        display_names={str(path): name for path, name in zip(paths, names)},
        lang=options["lang"],
        rulesets=options["rulesets"],
        absent_steps=options["absent_steps"],
    )
    if kept_for is not None:  # the download links re-run the check on the kept files, for this account only
        (folder / "check.json").write_text(json.dumps({"names": names, "options": options, "user": kept_for}), "utf-8")
    return report


def _render(report: Report, fmt: str, lang: str) -> str:
    return render(report, fmt, RenderOptions(lang=lang, include_pass=fmt == "junit"))


def _suffix(fmt: str) -> str:
    return {
        "json": "json",
        "jsonl": "jsonl",
        "sarif": "sarif",
        "junit": "xml",
        "csv": "csv",
        "markdown": "md",
        "github": "txt",
        "table": "txt",
    }[fmt]


def _forget_old_checks(parent: Path) -> None:
    cutoff = time.time() - CHECK_KEPT_SECONDS
    for folder in parent.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


def _outcome_row(outcome, lang: str) -> dict[str, Any]:
    citation = outcome.citation
    return {
        "rule": outcome.rule_id,
        "title": outcome.rule_title(lang),
        "outcome": outcome.outcome,
        "outcome_label": OUTCOME_LABELS[lang].get(outcome.outcome, outcome.outcome),
        "severity": SEVERITY_LABELS[lang].get(outcome.severity, outcome.severity),
        "kind": KIND_LABELS[lang].get(outcome.record_kind, outcome.record_kind),
        "record": outcome.record_id,
        "source": f"{outcome.source.file}:{outcome.source.line}"
        if outcome.source and outcome.source.line
        else (outcome.source.file if outcome.source else ""),
        "message": outcome.message(lang),
        "evidence": evidence_text(outcome.evidence, lang, outcome.record_kind),
        "citation": " ".join(
            part for part in (citation.document, citation.doc_number or "", citation.clause or "") if part
        ),
        "quote": citation.quote,
        "provisional": outcome.provisional,
    }


def _finding_rows(report: Report, lang: str, include_pass: bool = False) -> list[dict[str, Any]]:
    return [_outcome_row(o, lang) for o in report.outcomes if include_pass or o.outcome != "pass"]


def _bars(items: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """Rows of a horizontal bar chart (drawn as inline SVG by the template)."""
    largest = max((count for _, count in items), default=0) or 1
    return [{"label": label, "count": count, "width": round(300 * count / largest)} for label, count in items]


@functools.cache
def _column_names(field: str) -> tuple[str, ...]:
    """Every header a register may give ``field`` under (its name and the models' Chinese aliases, of
    any kind): a quarantined row is kept as its file wrote it."""
    return (
        field,
        *sorted(
            {
                alias
                for aliases in FIELD_ALIASES.values()
                for alias, target in aliases.items()
                if target == field and alias != field
            }
        ),
    )


def _row_in_scope(row: dict[str, Any], scope: Scope) -> bool:
    """A quarantined row belongs to a scope when its raw values name the agency / region; a row that
    names neither is shown to unscoped accounts only (it cannot be attributed)."""
    if not scope:
        return True
    raw = row.get("raw")
    if not isinstance(raw, dict):
        raw = {}
    values = {str(key): value for key, value in raw.items()}
    agency = next((values[key] for key in _column_names("agency") if values.get(key)), None)
    region = next((str(values[key]) for key in _column_names("region_code") if values.get(key)), None)
    return (not scope.agency or agency == scope.agency) and (
        not scope.region or (region or "").startswith(scope.region)
    )


def _quarantine_csv(rows: list[dict[str, Any]], lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    t = TEXT[lang]
    writer.writerow([t["file"], t["line"], t["field"], t["reason"], t["kind"], t["record"]])
    for row in rows:
        writer.writerow(
            [
                spreadsheet_safe(str(value)) if value is not None else ""
                for value in (
                    Path(row["file"]).name,
                    row["line"],
                    row["field"],
                    row["reason"],
                    row["record_kind"],
                    row["record_id"],
                )
            ]
        )
    return "\ufeff" + out.getvalue()


def _job_json(job: dict[str, Any] | None) -> dict[str, Any]:
    if not job:
        return {}
    return {
        "id": job["id"],
        "kind": job["kind"],
        "state": job["state"],
        "progress": job["progress"],
        "result": job["result"],
        "error": job["error"],
        "created_at": job["created_at"].isoformat(timespec="seconds"),
        "finished_at": job["finished_at"].isoformat(timespec="seconds") if job["finished_at"] else None,
    }
