"""``fzcheck user``: the accounts of ``fzcheck serve`` (add, token, list, disable, enable, password)."""

from __future__ import annotations

import functools
import sys

import click

from .db import DatabaseProblem, db_option, open_db


def _read_password(password_stdin: bool) -> str:
    """The password from standard input (its first line) or asked twice on the terminal — never an
    argument, which would stay in the shell history and the process list."""
    if password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("密码 / password", hide_input=True, confirmation_prompt=True)


def _account_errors(function):
    """AccountError → exit 2 with its message (``DatabaseProblem``)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        from ..engine.store.users import AccountError

        try:
            return function(*args, **kwargs)
        except AccountError as exc:
            raise DatabaseProblem(str(exc)) from exc

    return wrapper


@click.group("user")
def user_group() -> None:
    """账号 / Accounts of `fzcheck serve`.

    \b
    Examples:
      echo "$PASSWORD" | fzcheck user add wang --role auditor --region 5323 --password-stdin
      fzcheck user add clerk1 --role agency --agency 楚雄州司法局 --password-stdin < pw.txt
      fzcheck user token wang          # an API token for Authorization: Bearer …
      fzcheck user list
      fzcheck user disable clerk1
    """


@user_group.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["admin", "auditor", "reviewer", "agency"]),
    required=True,
    help="admin 管理员, auditor 审计人员, reviewer 审核人员, agency 机关经办人.",
)
@click.option("--agency", default=None, help="机关名称（agency 账号只见本机关）/ the agency an agency account sees.")
@click.option(
    "--region",
    default=None,
    metavar="PREFIX",
    help="区划代码前缀（只见本地区）/ region code prefix the account is limited to, e.g. 5323.",
)
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码 / read the password from standard input.")
@db_option
@_account_errors
def add_command(name, role, agency, region, password_stdin, db_url):
    """新增账号 / Add an account."""
    from ..engine.store.users import add_user

    engine = open_db(db_url)
    user = add_user(engine, name, role, _read_password(password_stdin), agency=agency, region=region)
    click.echo(f"已新增用户 {user.name}（{role}）/ added user {user.name} ({role})")


@user_group.command("token")
@click.argument("name")
@db_option
@_account_errors
def token_command(name, db_url):
    """签发API令牌（只显示一次）/ Issue an API token (shown once)."""
    from ..engine.store.users import issue_token

    click.echo(issue_token(open_db(db_url), name))


@user_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@db_option
def list_command(fmt, db_url):
    """列出账号 / List accounts."""
    import json

    from ..engine.output.common import terminal_safe
    from ..engine.store.users import list_users

    found = list_users(open_db(db_url, readonly=True))
    if fmt == "json":
        click.echo(json.dumps([user.to_dict() for user in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("没有账号 / no accounts")
        return
    for user in found:
        state = "停用 / disabled" if user.disabled else "启用 / enabled"
        limits = " ".join(
            part for part in (user.agency and f"agency={user.agency}", user.region and f"region={user.region}") if part
        )
        click.echo(terminal_safe(f"{user.name}\t{user.role}\t{state}\t{limits or '—'}"))


@user_group.command("disable")
@click.argument("name")
@db_option
@_account_errors
def disable_command(name, db_url):
    """停用账号（其令牌一并作废）/ Disable an account (its tokens are revoked)."""
    from ..engine.store.users import set_disabled

    set_disabled(open_db(db_url), name, True)
    click.echo(f"已停用 {name} / disabled {name}")


@user_group.command("enable")
@click.argument("name")
@db_option
@_account_errors
def enable_command(name, db_url):
    """启用账号 / Enable an account."""
    from ..engine.store.users import set_disabled

    set_disabled(open_db(db_url), name, False)
    click.echo(f"已启用 {name} / enabled {name}")


@user_group.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码 / read the password from standard input.")
@db_option
@_account_errors
def password_command(name, password_stdin, db_url):
    """修改密码 / Set an account's password."""
    from ..engine.store.users import set_password

    set_password(open_db(db_url), name, _read_password(password_stdin))
    click.echo(f"已修改 {name} 的密码 / password of {name} changed")
