"""The files app in the globals style: ``request.files``, ``send_from_directory``, a streamed
generator, and the app's static folder."""

from __future__ import annotations

import os
from typing import Any, cast

from globals_fw import (
    App,
    Blueprint,
    Response,
    abort,
    current_app,
    request,
    send_from_directory,
    stream_with_context,
    url_for,
)

from . import domain

files = Blueprint("files", __name__)


def store() -> domain.FileStore:
    """The app's file store."""
    return cast(domain.FileStore, current_app.extensions["files"])


@files.get("/files")
def list_files() -> dict[str, Any]:
    return {
        "files": [
            {"name": f.name, "size": f.size, "url": url_for(".download", name=f.name)}
            for f in store().all()
        ]
    }


@files.post("/files")
def upload() -> tuple[dict[str, Any], int, dict[str, str]]:
    upload = request.files.get("file")
    if upload is None or upload.filename is None:
        abort(400, description="Send the file in a multipart/form-data field named 'file'.")
    try:
        stored = store().save(upload.filename, upload.stream)
    except domain.InvalidFilename as error:
        abort(400, description=str(error))
    location = url_for(".download", name=stored.name)
    return {"name": stored.name, "size": stored.size}, 201, {"Location": location}


@files.get("/files/<name>")
def download(name: str) -> Response:
    return send_from_directory(store().directory, name, as_attachment=True)


@files.get("/report.csv")
def report() -> Response:
    # Flask writes Response(..., mimetype="text/csv"); globals_fw's Response has no mimetype=.
    return Response(stream_with_context(store().report()), content_type="text/csv; charset=utf-8")


def create_app(
    upload_dir: str | os.PathLike[str] | None = None,
    max_upload: int = domain.MAX_UPLOAD,
    **config: Any,
) -> App:
    """The files app, storing uploads in ``upload_dir`` (a temporary directory by default);
    requests bigger than ``max_upload`` bytes get 413."""
    app = App(__name__, static_folder=str(domain.STATIC))
    app.config.from_mapping(MAX_CONTENT_LENGTH=max_upload, **config)
    app.extensions["files"] = domain.open_store(upload_dir)
    app.register_blueprint(files)
    return app
