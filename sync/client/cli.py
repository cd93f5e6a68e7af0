"""`tapline-client`: the reference tablet client on the command line.

    tapline-client --db tablet.sqlite init --server http://127.0.0.1:8000 --token tpl_demo_crew1
    tapline-client --db tablet.sqlite pull
    tapline-client --db tablet.sqlite list survey_task
    tapline-client --db tablet.sqlite edit survey <id> notes='"阀门井在人行道下"' meter_dn=40
    tapline-client --db tablet.sqlite transition <task id> submitted
    tapline-client --db tablet.sqlite upload photo.jpg
    tapline-client --db tablet.sqlite push
    tapline-client --db tablet.sqlite status
"""
import argparse
import json
import sys

from sync.client.client import Offline, SyncClient
from sync.client.store import LocalStore


def _value(text: str):
    """Values are JSON where they parse as JSON (numbers, objects, quoted strings), else plain text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tapline-client", description="Tapline reference tablet client")
    parser.add_argument("--db", default="tablet.sqlite", help="the local SQLite store")
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="remember the server and this device's token")
    init.add_argument("--server", required=True)
    init.add_argument("--token", required=True)
    commands.add_parser("pull", help="pull changes after the stored cursor")
    commands.add_parser("push", help="push the outbox")
    commands.add_parser("status", help="outbox size, receipts, cursor")
    listing = commands.add_parser("list", help="records of a type")
    listing.add_argument("type")
    edit = commands.add_parser("edit", help="edit a record offline: field=value …")
    edit.add_argument("type")
    edit.add_argument("id")
    edit.add_argument("assignments", nargs="+")
    transition = commands.add_parser("transition", help="move a task (on_site, submitted)")
    transition.add_argument("task_id")
    transition.add_argument("to")
    upload = commands.add_parser("upload", help="upload a blob; prints its sha256")
    upload.add_argument("path")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    store = LocalStore(args.db)
    if args.command == "init":
        store.set_meta("server", args.server)
        store.set_meta("token", args.token)
        return 0
    if store.get_meta("server") is None:
        print("run `tapline-client init --server URL --token TOKEN` first", file=sys.stderr)
        return 2
    client = SyncClient(store.get_meta("server"), store.get_meta("token"), store)
    try:
        if args.command == "pull":
            print(f"{client.pull()} changes")
        elif args.command == "push":
            print(json.dumps(client.push(), ensure_ascii=False))
        elif args.command == "status":
            print(json.dumps(client.status(), ensure_ascii=False))
        elif args.command == "list":
            print(json.dumps(store.records(args.type), ensure_ascii=False, indent=1))
        elif args.command == "edit":
            fields = dict(a.split("=", 1) for a in args.assignments)
            print(client.edit(args.type, args.id, {k: _value(v) for k, v in fields.items()}))
        elif args.command == "transition":
            print(client.transition(args.task_id, args.to))
        elif args.command == "upload":
            print(client.upload_blob(args.path))
    except Offline as error:
        print(f"offline: {error}; nothing was lost, try again", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
