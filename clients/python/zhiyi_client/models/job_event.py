from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status_enum import JobStatusEnum

if TYPE_CHECKING:
    from ..models.job_counts import JobCounts


T = TypeVar("T", bound="JobEvent")


@_attrs_define
class JobEvent:
    """The data of a `job` event on /sse/jobs/{id}/ (jobs/events.py).

    Attributes:
        job_id (int):
        status (JobStatusEnum): * `queued` - Queued
            * `processing` - Processing
            * `completed` - Completed
            * `partial` - Partial
            * `failed` - Failed
            * `cancelled` - Cancelled
            * `empty` - Empty
        progress (int):
        total (int): tasks in the job
        counts (JobCounts):
        characters (int):
        reserved (int):
        charged (int):
        refunded (int):
        version (int): grows with every change of any task; also the SSE `id:`
        result_url (None | str): the zip, once a task completed
    """

    job_id: int
    status: JobStatusEnum
    progress: int
    total: int
    counts: JobCounts
    characters: int
    reserved: int
    charged: int
    refunded: int
    version: int
    result_url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        status = self.status.value

        progress = self.progress

        total = self.total

        counts = self.counts.to_dict()

        characters = self.characters

        reserved = self.reserved

        charged = self.charged

        refunded = self.refunded

        version = self.version

        result_url: None | str
        result_url = self.result_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "jobId": job_id,
                "status": status,
                "progress": progress,
                "total": total,
                "counts": counts,
                "characters": characters,
                "reserved": reserved,
                "charged": charged,
                "refunded": refunded,
                "version": version,
                "resultUrl": result_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_counts import JobCounts  # noqa: PLC0415

        d = dict(src_dict)
        job_id = d.pop("jobId")

        status = JobStatusEnum(d.pop("status"))

        progress = d.pop("progress")

        total = d.pop("total")

        counts = JobCounts.from_dict(d.pop("counts"))

        characters = d.pop("characters")

        reserved = d.pop("reserved")

        charged = d.pop("charged")

        refunded = d.pop("refunded")

        version = d.pop("version")

        def _parse_result_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        result_url = _parse_result_url(d.pop("resultUrl"))

        job_event = cls(
            job_id=job_id,
            status=status,
            progress=progress,
            total=total,
            counts=counts,
            characters=characters,
            reserved=reserved,
            charged=charged,
            refunded=refunded,
            version=version,
            result_url=result_url,
        )

        job_event.additional_properties = d
        return job_event

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
