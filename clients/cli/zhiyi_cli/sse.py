"""Following a task: its Server-Sent Events stream, or polling when the stream is not there."""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import httpx
from zhiyi_client import AuthenticatedClient
from zhiyi_client.api.tasks import tasks_retrieve
from zhiyi_client.models import TaskOutput

TERMINAL = {"completed", "failed", "cancelled"}


def events(response: httpx.Response) -> Iterator[tuple[str, str]]:
    """(event, data) for each event of an SSE response (comments and `retry:` skipped)."""
    name, data = "message", []
    for line in response.iter_lines():
        if not line:
            if data:
                yield name, "\n".join(data)
            name, data = "message", []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)


def follow(client: AuthenticatedClient, task_id: int, on_change: Callable[[dict], None],
           poll_s: float = 1.0) -> dict:
    """Call `on_change` with each new state of the task until it ends; return the last state
    ({status, progress, message, error})."""
    state: dict = {}
    try:
        with client.get_httpx_client().stream("GET", f"/sse/tasks/{task_id}/",
                                              headers={"Accept": "text/event-stream"},
                                              timeout=httpx.Timeout(10, read=60)) as response:
            if response.status_code == 200:
                for name, data in events(response):
                    if name != "status":
                        continue
                    state = json.loads(data)
                    on_change(state)
                    if state["status"] in TERMINAL:
                        return state
    except httpx.HTTPError:
        pass  # no stream (a proxy that buffers, a dropped connection): ask instead
    while not state or state["status"] not in TERMINAL:
        task = tasks_retrieve.sync(client=client, task_id=task_id)
        if not isinstance(task, TaskOutput):
            raise RuntimeError(f"could not read task {task_id}")
        new = {"status": task.status.value, "progress": task.progress, "message": task.message, "error": task.error}
        if new != state:
            state = new
            on_change(state)
        if state["status"] not in TERMINAL:
            time.sleep(poll_s)  # a client polling a server: the one place a wait is the point
    return state
