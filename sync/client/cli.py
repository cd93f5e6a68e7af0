"""`tapline-client`: the reference tablet client on the command line (`tapline-client --help` for examples)."""
import argparse
import json
import sys

from sync.client.client import DeviceRevoked, Offline, ServerError, SyncClient
from sync.client.store import LocalStore

EXAMPLES = """\
examples:
  tapline-client --db tablet.sqlite init --server http://127.0.0.1:8000 --token tpl_demo_crew1
  tapline-client --db tablet.sqlite pull
  tapline-client --db tablet.sqlite list survey_task --where state=on_site
  tapline-client --db tablet.sqlite list survey --where task_id='"<task id>"' --where utility=water
  tapline-client --db tablet.sqlite show survey <id>
  tapline-client --db tablet.sqlite edit survey <id> notes='"阀门井在人行道下"' meter_dn=40
  tapline-client --db tablet.sqlite transition <task id> submitted
  tapline-client --db tablet.sqlite upload photo.jpg
  tapline-client --db tablet.sqlite push
  tapline-client --db tablet.sqlite status

Edits wait in the outbox until `push`; each keeps the version you saw when you made it, so a change made
meanwhile on the server merges or comes back as a conflict instead of being overwritten. Values are JSON
where they parse as JSON (40, true, {"type": ...}, "quoted text"), else plain text.
Exit status: 0 done, 1 no signal (nothing lost, try again), 2 usage, 3 the server refused (its code is
printed), 4 this device was revoked (its local data has been deleted).
"""


def _value(text: str):
    """Values are JSON where they parse as JSON (numbers, objects, quoted strings), else plain text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _assignments(pairs: list[str]) -> dict:
    fields = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise argparse.ArgumentTypeError(f"{pair!r} is not field=value")
        fields[name] = _value(value)
    return fields


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tapline-client", description="Tapline reference tablet client: a local "
                                     "store and an outbox that sync with the server when there is signal.",
                                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="tablet.sqlite", help="the local SQLite store (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    init = commands.add_parser("init", help="remember the server and this device's token",
                               epilog="example: tapline-client init --server https://tapline.example --token tpl_…")
    init.add_argument("--server", required=True, help="the server's base URL")
    init.add_argument("--token", required=True, help="this device's token (from the admin who registered it)")
    commands.add_parser("pull", help="pull changes after the stored cursor")
    commands.add_parser("push", help="push the outbox; prints how many were applied, merged, in conflict …")
    commands.add_parser("status", help="outbox size, receipts, cursor")
    listing = commands.add_parser("list", help="records of a type, as last pulled",
                                  epilog="example: tapline-client list survey_task --where state=on_site")
    listing.add_argument("type", help="survey_task, survey, application, comment, conflict, …")
    listing.add_argument("--where", action="append", default=[], metavar="FIELD=VALUE",
                         help="only records whose field equals the value (repeat to narrow)")
    show = commands.add_parser("show", help="one record as you see it: pulled state, your pending edits on top",
                               epilog="example: tapline-client show survey 5b0f3f0e-7d3c-4c84-9a31-0b1f0e9d2a11")
    show.add_argument("type")
    show.add_argument("id")
    edit = commands.add_parser("edit", help="edit a record offline: field=value …",
                               epilog="example: tapline-client edit survey <id> notes='\"阀门井\"' meter_dn=40")
    edit.add_argument("type")
    edit.add_argument("id")
    edit.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    transition = commands.add_parser("transition", help="move a task (on_site, submitted)",
                                     epilog="example: tapline-client transition <task id> submitted")
    transition.add_argument("task_id")
    transition.add_argument("to")
    upload = commands.add_parser("upload", help="upload a photo, sketch or signature; prints its sha256",
                                 epilog="example: tapline-client upload site.jpg   (then: edit survey <id> "
                                        "photos='[\"<sha256>\"]')")
    upload.add_argument("path")
    return parser


def _show(store: LocalStore, entity_type: str, entity_id: str) -> dict | None:
    record = store.record(entity_type, entity_id)
    if record is None:
        return None
    return {**record, "pending": store.pending(entity_type, entity_id)}


def _print_progress(sent: int, size: int) -> None:
    share = sent / size if size else 1
    print(f"\ruploaded {sent / 1e6:.1f} of {size / 1e6:.1f} MB ({share:.0%})", end="", file=sys.stderr, flush=True)
    if sent >= size:
        print(file=sys.stderr)


def _run(args: argparse.Namespace, store: LocalStore, client: SyncClient) -> int:
    out = None
    if args.command == "pull":
        print(f"{client.pull()} changes")
    elif args.command == "push":
        out = client.push()
    elif args.command == "status":
        out = client.status()
    elif args.command == "list":
        out = store.records(args.type, _assignments(args.where))
    elif args.command == "show":
        out = _show(store, args.type, args.id)
        if out is None:
            print(f"no {args.type} {args.id} in this tablet's store (pull first?)", file=sys.stderr)
            return 2
    elif args.command == "edit":
        print(client.edit(args.type, args.id, _assignments(args.assignments)))
    elif args.command == "transition":
        print(client.transition(args.task_id, args.to))
    elif args.command == "upload":
        print(client.upload_blob(args.path, progress=_print_progress))
    if out is not None:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
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
        return _run(args, store, client)
    except (argparse.ArgumentTypeError, ValueError, OSError) as error:
        print(f"tapline-client: {error}", file=sys.stderr)
        return 2
    except Offline as error:
        print(f"offline: {error}; nothing was lost, try again", file=sys.stderr)
        return 1
    except DeviceRevoked as error:
        print(f"this device was revoked ({error.message}): its local data has been deleted", file=sys.stderr)
        return 4
    except ServerError as error:
        print(f"the server refused: {error}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
