"""The sync protocol from the tablet's side: pull into the local store, push the outbox, upload blobs."""
import hashlib
from pathlib import Path

import requests

from sync.client.store import LocalStore
from sync.lsn import parse_lsn

CHUNK_BYTES = 5 * 1024 * 1024


class Offline(Exception):
    """The server could not be reached or failed; nothing local was lost, try again later."""


class SyncClient:
    def __init__(self, base_url: str, token: str, store: LocalStore, *, timeout: float = 30,
                 http: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.store = store
        self.timeout = timeout
        self.http = http or requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            response = self.http.request(method, f"{self.base_url}{path}", timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise Offline(str(error)) from error
        if response.status_code >= 500:
            raise Offline(f"{method} {path}: {response.status_code}")
        return response

    def pull(self, *, limit: int = 500) -> int:
        """Pull every page after the stored cursor; each page and its cursor are stored in one transaction."""
        received = 0
        while True:
            cursor = self.store.get_meta("cursor")
            # A replica serves this pull only once it has replayed this device's own pushes.
            write_lsn = self.store.get_meta("write_lsn")
            response = self._call("GET", "/api/v1/sync/pull",
                                  params={"limit": limit, **({"cursor": cursor} if cursor else {})},
                                  headers={"Tapline-Min-Lsn": write_lsn} if write_lsn else {})
            response.raise_for_status()
            page = response.json()
            with self.store.transaction():
                for change in page["changes"]:
                    self.store.apply_change(change)
                self.store.set_meta("cursor", page["cursor"])
            received += len(page["changes"])
            if not page["has_more"]:
                return received

    def edit(self, entity_type: str, entity_id: str, fields: dict) -> str:
        """Record a local edit; it is pushed later, however long the tablet stays offline."""
        return self.store.enqueue(entity_type, entity_id, "update", fields)

    def transition(self, task_id: str, to: str, reason: str | None = None) -> str:
        return self.store.enqueue("survey_task", task_id, "transition",
                                  {"to": to, **({"reason": reason} if reason else {})})

    def push(self, *, batch_size: int = 500) -> dict[str, int]:
        """Push the outbox until it is empty; an entry leaves it only with its receipt."""
        results: dict[str, int] = {}
        while True:
            batch = self.store.next_batch(batch_size)
            if not batch:
                return results
            response = self._call("POST", "/api/v1/sync/push", json={"mutations": batch})
            response.raise_for_status()
            needs_pull = False
            with self.store.transaction():
                self._remember_write_position(response.headers.get("Tapline-Write-Lsn"))
                for mutation, receipt in zip(batch, response.json()["receipts"], strict=True):
                    self.store.settle(mutation, receipt)
                    results[receipt["result"]] = results.get(receipt["result"], 0) + 1
                    needs_pull |= receipt["result"] in ("merged", "conflict")
            if needs_pull:
                # The server holds fields this tablet has not seen: see them before editing the record again.
                self.pull()

    def _remember_write_position(self, position: str | None) -> None:
        """Keep the highest position a push returned (responses to concurrent pushes may arrive out of order)."""
        known = self.store.get_meta("write_lsn")
        if position and (known is None or parse_lsn(position) > parse_lsn(known)):
            self.store.set_meta("write_lsn", position)

    def upload_blob(self, path: str | Path, *, chunk_bytes: int = CHUNK_BYTES) -> str:
        """Upload a photo, sketch or signature, resuming from what the server already has; returns its sha256."""
        path = Path(path)
        sha256 = _sha256_of(path)
        size = path.stat().st_size
        head = self._call("HEAD", f"/api/v1/blobs/{sha256}")
        if head.status_code == 200 and head.headers.get("Tapline-Blob-Status") == "complete":
            return sha256
        offset = int(head.headers.get("Upload-Offset", 0)) if head.status_code == 200 else 0
        with path.open("rb") as file:
            file.seek(offset)
            while offset < size:
                chunk = file.read(chunk_bytes)
                response = self._call("PUT", f"/api/v1/blobs/{sha256}", data=chunk, headers={
                    "Content-Type": "application/octet-stream",
                    "Content-Range": f"bytes {offset}-{offset + len(chunk) - 1}/{size}"})
                response.raise_for_status()
                offset += len(chunk)
        return sha256

    def status(self) -> dict:
        return {"outbox": self.store.outbox_size(), "receipts": self.store.receipts_by_result(),
                "cursor": self.store.get_meta("cursor")}


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
