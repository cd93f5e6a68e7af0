"""The sync protocol from the tablet's side: pull into the local store, push the outbox, upload blobs."""
import hashlib
from collections.abc import Callable
from pathlib import Path

import requests

from sync.client.store import LocalStore
from sync.lsn import parse_lsn

CHUNK_BYTES = 5 * 1024 * 1024


class Offline(Exception):
    """The server could not be reached or failed; nothing local was lost, try again later."""


class ServerError(Exception):
    """The server refused a request (4xx): its error code and message, for a person to act on."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(f"{code}: {message}" + (f" ({field})" if field else ""))
        self.status, self.code, self.message, self.field = status, code, message, field

    @classmethod
    def of(cls, response: requests.Response) -> "ServerError":
        try:
            body = response.json()
            return cls(response.status_code, body["code"], body["message"], body.get("field"))
        except (ValueError, KeyError, TypeError):
            # Not Tapline's error shape: something in between (a proxy) answered.
            return cls(response.status_code, f"http_{response.status_code}", response.reason or "refused")


class DeviceRevoked(ServerError):
    """An administrator revoked this device (a lost tablet): its local data has been deleted."""


Progress = Callable[[int, int], None]


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
        if response.status_code >= 400:
            error = ServerError.of(response)
            if error.code == "device_revoked":
                self.store.wipe()
                raise DeviceRevoked(error.status, error.code, error.message)
            raise error
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

    def upload_blob(self, path: str | Path, *, chunk_bytes: int = CHUNK_BYTES, progress: Progress | None = None) -> str:
        """Upload a photo, sketch or signature, resuming from what the server already has; returns its sha256.

        `progress(sent, size)` is called as the bytes the server holds grow (first with what it already had).
        """
        path = Path(path)
        sha256 = _sha256_of(path)
        size = path.stat().st_size
        offset = self._uploaded_bytes(sha256, size)
        with path.open("rb") as file:
            file.seek(offset)
            if progress:
                progress(offset, size)
            while offset < size:
                chunk = file.read(chunk_bytes)
                self._call("PUT", f"/api/v1/blobs/{sha256}", data=chunk, headers={
                    "Content-Type": "application/octet-stream",
                    "Content-Range": f"bytes {offset}-{offset + len(chunk) - 1}/{size}"})
                offset += len(chunk)
                if progress:
                    progress(offset, size)
        return sha256

    def _uploaded_bytes(self, sha256: str, size: int) -> int:
        try:
            head = self._call("HEAD", f"/api/v1/blobs/{sha256}")
        except ServerError:
            # 404: nothing of it has arrived yet. A HEAD answer has no body to say why it refused otherwise; the
            # PUT that follows carries the reason.
            return 0
        return size if head.headers.get("Tapline-Blob-Status") == "complete" else int(head.headers["Upload-Offset"])

    def status(self) -> dict:
        return {"outbox": self.store.outbox_size(), "receipts": self.store.receipts_by_result(),
                "cursor": self.store.get_meta("cursor")}


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
