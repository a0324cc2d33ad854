"""WSGI entry point: the reference apps in the resources (Falcon) style, for real servers."""

from compare.load.mount import mounted

app = mounted("resources_fw")
