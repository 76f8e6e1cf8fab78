"""The realtime layer: Server-Sent Events served beside Django, a per-process registry of open
streams, and a bus that carries events between processes. It imports no app: apps register their
streams and feeds (streams.routes) in AppConfig.ready() and publish `Event`s after commit."""
