"""``fzcheck serve``: run the web application (pages and the JSON API) with uvicorn."""

from __future__ import annotations

import os
import secrets

import click

from .db import db_option, open_db

#: how long an idle keep-alive connection stays open (uvicorn's default is 5 s): a client that reuses a
#: connection just as the server closes it gets a reset instead of an answer, which the load test saw
#: about once every 20 seconds at 50 concurrent reviewers; browsers and proxies keep connections ~60 s
KEEP_ALIVE_SECONDS = 75


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="端口 / port.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="服务进程数 / server worker processes (they share the session key).",
)
@click.option(
    "--max-upload-mb",
    type=click.FloatRange(0.1, 4096),
    default=50,
    show_default=True,
    help="单次上传上限（MB）/ upload size limit per request.",
)
@click.option(
    "--request-timeout",
    type=click.FloatRange(1, 86400),
    default=300,
    show_default=True,
    help="请求超时（秒）/ seconds before a request is answered 504.",
)
@click.option(
    "--secure-cookies",
    is_flag=True,
    help="仅通过HTTPS发送会话Cookie（部署在HTTPS反向代理之后时使用）/ session cookie only over HTTPS.",
)
@click.option(
    "--upload-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="保存上传文件的目录（默认临时目录）/ where uploads are kept (default: a temporary folder).",
)
@db_option
def serve_command(host, port, workers, max_upload_mb, request_timeout, secure_cookies, upload_dir, db_url):
    """启动网页服务 / Serve the web pages and the JSON API.

    Reviewers check drafts, auditors import registers and run audits, agency clerks see their own
    agency's findings, in a browser; programs use /api (OpenAPI at /openapi.json) with a token from
    `fzcheck user token NAME`. Create the first account with `fzcheck user add NAME --role admin`.

    \b
    Examples:
      fzcheck serve                                   # http://127.0.0.1:8000, the default database
      fzcheck serve --db postgresql://fz@db/fzcheck --host 0.0.0.0 --workers 4 --secure-cookies
    """
    import uvicorn

    open_db(db_url)  # a missing or unreachable database is exit 2 before the server starts
    os.environ.update(
        {
            "FZCHECK_SECRET_KEY": os.environ.get("FZCHECK_SECRET_KEY") or secrets.token_urlsafe(32),
            "FZCHECK_MAX_UPLOAD_MB": str(max_upload_mb),
            "FZCHECK_REQUEST_TIMEOUT": str(request_timeout),
            "FZCHECK_SECURE_COOKIES": "1" if secure_cookies else "0",
        }
    )
    if db_url:
        os.environ["FZCHECK_DB"] = db_url
    if upload_dir:
        os.environ["FZCHECK_UPLOAD_DIR"] = str(upload_dir)
    click.echo(f"fzcheck serve: http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(
        "fzcheck.engine.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
