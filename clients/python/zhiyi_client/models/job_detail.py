from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status_enum import JobStatusEnum

if TYPE_CHECKING:
    from ..models.job_counts import JobCounts
    from ..models.job_task import JobTask


T = TypeVar("T", bound="JobDetail")


@_attrs_define
class JobDetail:
    """A job with its summary (`summary` in the context: jobs.selectors.summarize).

    Attributes:
        id (int):
        status (JobStatusEnum): * `queued` - Queued
            * `processing` - Processing
            * `completed` - Completed
            * `partial` - Partial
            * `failed` - Failed
            * `cancelled` - Cancelled
            * `empty` - Empty
        engine (str):
        source_lang (str):
        target_langs (list[str]):
        documents (int): documents in the job (a zip's documents counted one by one)
        tasks_total (int): documents × target languages
        counts (JobCounts):
        progress (int): percent done over all tasks
        characters (int): billable characters over all tasks
        cost (int): points reserved by the tasks' current rounds (the quote's total)
        reserved (int): points still held by unfinished tasks
        charged (int): points charged for completed tasks
        refunded (int): points given back (failed, cancelled, or unused)
        created_at (datetime.datetime):
        url (str):
        stream_url (str):
        result_url (None | str): the zip of what is done, once a task completed
        tasks (list[JobTask]): one per document × target language
    """

    id: int
    status: JobStatusEnum
    engine: str
    source_lang: str
    target_langs: list[str]
    documents: int
    tasks_total: int
    counts: JobCounts
    progress: int
    characters: int
    cost: int
    reserved: int
    charged: int
    refunded: int
    created_at: datetime.datetime
    url: str
    stream_url: str
    result_url: None | str
    tasks: list[JobTask]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        engine = self.engine

        source_lang = self.source_lang

        target_langs = self.target_langs

        documents = self.documents

        tasks_total = self.tasks_total

        counts = self.counts.to_dict()

        progress = self.progress

        characters = self.characters

        cost = self.cost

        reserved = self.reserved

        charged = self.charged

        refunded = self.refunded

        created_at = self.created_at.isoformat()

        url = self.url

        stream_url = self.stream_url

        result_url: None | str
        result_url = self.result_url

        tasks = []
        for tasks_item_data in self.tasks:
            tasks_item = tasks_item_data.to_dict()
            tasks.append(tasks_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "engine": engine,
                "source_lang": source_lang,
                "target_langs": target_langs,
                "documents": documents,
                "tasks_total": tasks_total,
                "counts": counts,
                "progress": progress,
                "characters": characters,
                "cost": cost,
                "reserved": reserved,
                "charged": charged,
                "refunded": refunded,
                "created_at": created_at,
                "url": url,
                "stream_url": stream_url,
                "result_url": result_url,
                "tasks": tasks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_counts import JobCounts  # noqa: PLC0415
        from ..models.job_task import JobTask  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = JobStatusEnum(d.pop("status"))

        engine = d.pop("engine")

        source_lang = d.pop("source_lang")

        target_langs = cast(list[str], d.pop("target_langs"))

        documents = d.pop("documents")

        tasks_total = d.pop("tasks_total")

        counts = JobCounts.from_dict(d.pop("counts"))

        progress = d.pop("progress")

        characters = d.pop("characters")

        cost = d.pop("cost")

        reserved = d.pop("reserved")

        charged = d.pop("charged")

        refunded = d.pop("refunded")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        url = d.pop("url")

        stream_url = d.pop("stream_url")

        def _parse_result_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        result_url = _parse_result_url(d.pop("result_url"))

        tasks = []
        _tasks = d.pop("tasks")
        for tasks_item_data in _tasks:
            tasks_item = JobTask.from_dict(tasks_item_data)

            tasks.append(tasks_item)

        job_detail = cls(
            id=id,
            status=status,
            engine=engine,
            source_lang=source_lang,
            target_langs=target_langs,
            documents=documents,
            tasks_total=tasks_total,
            counts=counts,
            progress=progress,
            characters=characters,
            cost=cost,
            reserved=reserved,
            charged=charged,
            refunded=refunded,
            created_at=created_at,
            url=url,
            stream_url=stream_url,
            result_url=result_url,
            tasks=tasks,
        )

        job_detail.additional_properties = d
        return job_detail

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
