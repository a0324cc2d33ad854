"""WSGI entry point: the reference apps in the globals (Flask) style, for real servers."""

from compare.load.mount import mounted

app = mounted("globals_fw")
