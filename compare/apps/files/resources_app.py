"""The files app in the resources style: multipart parts read from ``req.get_media()``, a
streamed ``resp.stream``, and ``add_static_route``."""

from __future__ import annotations

import os
from typing import Any

import resources_fw as falcon
from resources_fw.media import MultipartForm

from . import domain


class Files:
    """``/files``: list and upload."""

    def __init__(self, store: domain.FileStore) -> None:
        self.store = store

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {
            "files": [
                {"name": f.name, "size": f.size, "url": f"{req.app}/files/{f.name}"}
                for f in self.store.all()
            ]
        }

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = req.get_media() if req.content_type else None
        part = form.get("file") if isinstance(form, MultipartForm) else None
        if part is None or part.filename is None:
            raise falcon.HTTPBadRequest(
                description="Send the file in a multipart/form-data field named 'file'."
            )
        try:
            stored = self.store.save(part.filename, part.stream)
        except domain.InvalidFilename as error:
            raise falcon.HTTPBadRequest(description=str(error)) from None
        resp.status = falcon.HTTP_201
        resp.location = f"{req.app}/files/{stored.name}"
        resp.media = {"name": stored.name, "size": stored.size}


class File:
    """``/files/{name}``: a download, streamed from disk."""

    def __init__(self, store: domain.FileStore) -> None:
        self.store = store

    def on_get(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
        stored = self.store.find(name)
        if stored is None:
            raise falcon.HTTPNotFound(description=f"No file {name!r}.")
        resp.content_type = stored.media_type
        resp.downloadable_as = stored.name
        resp.set_stream(stored.path.open("rb"), stored.size)


class Report:
    """``/report.csv``: a listing generated while it is sent."""

    def __init__(self, store: domain.FileStore) -> None:
        self.store = store

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = "text/csv; charset=utf-8"
        resp.stream = (line.encode() for line in self.store.report())


def create_app(
    upload_dir: str | os.PathLike[str] | None = None,
    max_upload: int = domain.MAX_UPLOAD,
    **config: Any,
) -> falcon.App:
    """The files app, storing uploads in ``upload_dir`` (a temporary directory by default);
    requests bigger than ``max_upload`` bytes get 413."""
    store = domain.open_store(upload_dir)
    app = falcon.App(limits=falcon.Limits(max_content_length=max_upload))
    app.add_route("/files", Files(store))
    app.add_route("/files/{name}", File(store))
    app.add_route("/report.csv", Report(store))
    app.add_static_route("/static", domain.STATIC)
    return app
