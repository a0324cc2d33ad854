"""Files: multipart upload with a size limit, streaming downloads, static files."""
