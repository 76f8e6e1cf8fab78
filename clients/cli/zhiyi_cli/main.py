"""`zhiyi`: translate documents with a ZhiYi server from the command line.

    zhiyi login --url http://127.0.0.1:8000 --username demo     # asks for the password, keeps the token
    zhiyi translate report.docx --to es --wait                   # progress bar, then report.es.docx
    zhiyi quote report.docx --to es | zhiyi tasks | zhiyi download 42 | zhiyi delete 42 | zhiyi balance

The server and token come from --url / --token, else ZHIYI_URL / ZHIYI_TOKEN, else the file
`zhiyi login` writes (ZHIYI_CONFIG, default ~/.config/zhiyi/config.json).
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
import uuid
from pathlib import Path

from zhiyi_client import AuthenticatedClient, Client
from zhiyi_client.api.auth import auth_token_create
from zhiyi_client.api.billing import credits_retrieve, usage_retrieve
from zhiyi_client.api.engines import engines_list
from zhiyi_client.api.quote import quote_create
from zhiyi_client.api.tasks import tasks_create, tasks_destroy, tasks_list, tasks_result, tasks_retrieve
from zhiyi_client.models import (
    AuthTokenRequest,
    Balance,
    Engine,
    MultiQuote,
    PaginatedTaskOutputList,
    QuoteUploadRequest,
    TaskOutput,
    TasksListStatus,
    TaskUploadRequest,
    Token,
    Usage,
)
from zhiyi_client.types import UNSET, File

from zhiyi_cli.progress import ProgressBar
from zhiyi_cli.sse import follow


class CliError(Exception):
    pass


def _config_path() -> Path:
    return Path(os.environ.get("ZHIYI_CONFIG") or Path.home() / ".config" / "zhiyi" / "config.json")


def _saved() -> dict:
    try:
        return json.loads(_config_path().read_text())
    except (OSError, ValueError):
        return {}


def _client(args: argparse.Namespace) -> AuthenticatedClient:
    saved = _saved()
    url = args.url or os.environ.get("ZHIYI_URL") or saved.get("url") or "http://127.0.0.1:8000"
    token = args.token or os.environ.get("ZHIYI_TOKEN") or saved.get("token")
    if not token:
        raise CliError("not logged in: run `zhiyi login` (or set ZHIYI_TOKEN)")
    return AuthenticatedClient(base_url=url.rstrip("/"), token=token, prefix="Token", timeout=None)


def _ok(answer, *expected):  # type: ignore[no-untyped-def]
    """The parsed body if it is one of the expected models, else the API's error as a CliError."""
    parsed = answer.parsed
    if expected and isinstance(parsed, expected):
        return parsed
    try:
        body = json.loads(answer.content)
        raise CliError(f"{body.get('detail', answer.status_code)} ({body.get('code', 'error')})")
    except ValueError:
        raise CliError(f"the server answered {int(answer.status_code)}") from None


def cmd_login(args: argparse.Namespace) -> int:
    url = (args.url or os.environ.get("ZHIYI_URL") or "http://127.0.0.1:8000").rstrip("/")
    username = args.username or input("Username: ")
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    token = _ok(auth_token_create.sync_detailed(client=Client(base_url=url),
                                                body=AuthTokenRequest(username=username, password=password)), Token)
    path = _config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"url": url, "token": token.token}))
    path.chmod(0o600)
    print(f"logged in to {url} as {username} (token kept in {path})")
    return 0


def _choose(client: AuthenticatedClient, args: argparse.Namespace) -> tuple[str, str]:
    """(engine, source language): as given, or the cheapest available engine for the pair."""
    offered = _ok(engines_list.sync_detailed(client=client), list)
    engines = [e for e in offered if isinstance(e, Engine) and e.available and (not args.engine or e.name == args.engine)]
    pairs = [(e, src) for e in engines for src, tgt in e.pairs if tgt == args.to and (not args.source or src == args.source)]
    if not pairs:
        wanted = f"{args.source or '?'} → {args.to}" + (f" with {args.engine}" if args.engine else "")
        raise CliError(f"no available engine translates {wanted} (see `zhiyi engines`)")
    sources = sorted({src for _, src in pairs})
    if len(sources) > 1:
        raise CliError(f"say which language the document is in: --from {' | --from '.join(sources)}")
    engine = min((e for e, _ in pairs), key=lambda e: e.rate_per_1000)
    return engine.name, sources[0]


def _upload(path: Path, engine: str, source: str, args: argparse.Namespace) -> TaskUploadRequest:
    return TaskUploadRequest(file=File(payload=path.open("rb"), file_name=path.name), engine=engine,
                             source_lang=source, target_lang=args.to, bilingual=args.bilingual,
                             glossary=args.glossary if args.glossary else UNSET)


def cmd_engines(args: argparse.Namespace) -> int:
    for e in _ok(engines_list.sync_detailed(client=_client(args)), list):
        pairs = ", ".join(f"{s}→{t}" for s, t in e.pairs) or e.reason
        print(f"{e.name:15} {'yes' if e.available else 'no ':3} {e.rate_per_1000:4d} pt/1000  {pairs}")
    return 0


def cmd_quote(args: argparse.Namespace) -> int:
    client = _client(args)
    engine, source = _choose(client, args)
    path = Path(args.file)
    body = QuoteUploadRequest(file=File(payload=path.open("rb"), file_name=path.name), engine=engine,
                              source_lang=source, target_lang=args.to, bilingual=args.bilingual,
                              glossary=args.glossary if args.glossary else UNSET)
    quote = _ok(quote_create.sync_detailed(client=client, body=body), MultiQuote)
    print(f"{args.file}: {quote.format_}, {quote.characters} characters ({quote.memory_characters} from memory), "
          f"{engine} {source}→{args.to}: {quote.cost} points; balance after: {quote.balance_after}")
    return 0


def _download(client: AuthenticatedClient, task_id: int, output: str | None) -> Path:
    answer = tasks_result.sync_detailed(client=client, task_id=task_id)
    if answer.status_code != 200:
        _ok(answer)
    found = re.search(r'filename="?([^";]+)"?', answer.headers.get("content-disposition", ""))
    target = Path(output) if output else Path(Path(found.group(1)).name if found else f"task-{task_id}")
    target.write_bytes(answer.content)
    return target


def cmd_translate(args: argparse.Namespace) -> int:
    client = _client(args)
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"{path}: no such file")
    engine, source = _choose(client, args)
    task = _ok(tasks_create.sync_detailed(client=client, body=_upload(path, engine, source, args),
                                          idempotency_key=str(uuid.uuid4())), TaskOutput)
    print(f"task {task.id}: {path.name}, {engine} {source}→{args.to}, {task.cost} points reserved", file=sys.stderr)
    if not args.wait:
        print(task.id)
        return 0
    bar = ProgressBar(path.name) if not args.quiet else None
    final = follow(client, task.id, lambda s: bar and bar.update(s["progress"], s["status"], s.get("message") or ""))
    if bar:
        bar.close()
    if final["status"] != "completed":
        raise CliError(f"task {task.id} {final['status']}: {final.get('error') or final.get('message') or ''}".strip())
    # A PDF comes back as another format: then the server's file name says which.
    default = None if path.suffix.lower() == ".pdf" else str(path.with_name(f"{path.stem}.{args.to}{path.suffix}"))
    print(_download(client, task.id, args.output or default))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    task = _ok(tasks_retrieve.sync_detailed(client=_client(args), task_id=args.id), TaskOutput)
    print(f"{task.id} {task.status.value} {task.progress}% {task.message} {task.error or ''}".rstrip())
    return 0


def cmd_tasks(args: argparse.Namespace) -> int:
    page = _ok(tasks_list.sync_detailed(client=_client(args), q=args.q or UNSET, page=args.page,
                                        status=TasksListStatus(args.status) if args.status else UNSET),
               PaginatedTaskOutputList)
    for t in page.results:
        print(f"{t.id:6d}  {t.status.value:16} {t.progress:3d}%  {t.engine:10} {t.source_lang}→{t.target_lang}  "
              f"{t.filename}")
    print(f"({len(page.results)} of {page.count})", file=sys.stderr)
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    print(_download(_client(args), args.id, args.output))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    answer = tasks_destroy.sync_detailed(client=_client(args), task_id=args.id)
    if answer.status_code != 204:
        _ok(answer)
    print(f"task {args.id} deleted")
    return 0


def cmd_balance(args: argparse.Namespace) -> int:
    client = _client(args)
    print(f"balance: {_ok(credits_retrieve.sync_detailed(client=client), Balance).balance} points")
    usage = _ok(usage_retrieve.sync_detailed(client=client), Usage)
    print(f"last 30 days: {usage.totals.tasks} tasks, {usage.totals.characters} characters, "
          f"{usage.totals.points} points")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="zhiyi", description="Translate documents with a ZhiYi server.")
    top.add_argument("--url", help="the server (default: ZHIYI_URL, the saved login, http://127.0.0.1:8000)")
    top.add_argument("--token", help="API token (default: ZHIYI_TOKEN, the saved login)")
    commands = top.add_subparsers(dest="command", required=True)

    login = commands.add_parser("login", help="get an API token and keep it")
    login.add_argument("--username")
    login.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    login.set_defaults(run=cmd_login)

    commands.add_parser("engines", help="engines, their language pairs and rates").set_defaults(run=cmd_engines)
    for name, run, text in (("quote", cmd_quote, "what translating a document costs"),
                            ("translate", cmd_translate, "translate a document")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("file")
        sub.add_argument("--to", required=True, help="target language (BCP 47: es, zh-Hant, ...)")
        sub.add_argument("--from", dest="source", help="the document's language (default: the only one possible)")
        sub.add_argument("--engine", help="default: the cheapest available for the pair")
        sub.add_argument("--bilingual", action="store_true", help="keep the source beside the translation")
        sub.add_argument("--glossary", type=int, help="id of a glossary of yours")
        sub.set_defaults(run=run)
        if name == "translate":
            sub.add_argument("--wait", action="store_true", help="follow the progress, then download the result")
            sub.add_argument("-o", "--output", help="where to write the result (default: <name>.<to>.<ext>)")
            sub.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    status = commands.add_parser("status", help="one task")
    status.add_argument("id", type=int)
    status.set_defaults(run=cmd_status)
    tasks = commands.add_parser("tasks", help="your tasks, newest first")
    tasks.add_argument("--status")
    tasks.add_argument("--q", help="part of the file name")
    tasks.add_argument("--page", type=int, default=1)
    tasks.set_defaults(run=cmd_tasks)
    download = commands.add_parser("download", help="a finished task's translation")
    download.add_argument("id", type=int)
    download.add_argument("-o", "--output")
    download.set_defaults(run=cmd_download)
    delete = commands.add_parser("delete", help="delete a finished task and its files")
    delete.add_argument("id", type=int)
    delete.set_defaults(run=cmd_delete)
    commands.add_parser("balance", help="your balance and the last 30 days").set_defaults(run=cmd_balance)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except CliError as exc:
        print(f"zhiyi: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
