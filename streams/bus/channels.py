"""Over a Django Channels layer (e.g. channels_redis), for sites that already run one: every web
process joins one group and receives every event."""
from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from streams.bus.base import Backend, deliver
from streams.event import Event

GROUP = "zhiyi-events"


class ChannelsBackend(Backend):
    def publish(self, event: Event) -> None:
        async_to_sync(get_channel_layer().group_send)(GROUP, {"type": "zhiyi.event", "event": event.to_wire()})

    async def listen(self) -> None:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(GROUP, channel)
        while True:
            message = await layer.receive(channel)
            if message.get("type") == "zhiyi.event":
                deliver(Event.from_wire(message["event"]))
