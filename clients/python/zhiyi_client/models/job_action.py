from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.job import Job
    from ..models.job_action_refused_item import JobActionRefusedItem


T = TypeVar("T", bound="JobAction")


@_attrs_define
class JobAction:
    """
    Attributes:
        job (Job): A job with its summary (`summary` in the context: jobs.selectors.summarize).
        done (list[int]): ids of the tasks acted on
        refused (list[JobActionRefusedItem]): tasks refused: `task`, `code`, `detail`
    """

    job: Job
    done: list[int]
    refused: list[JobActionRefusedItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job = self.job.to_dict()

        done = self.done

        refused = []
        for refused_item_data in self.refused:
            refused_item = refused_item_data.to_dict()
            refused.append(refused_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job": job,
                "done": done,
                "refused": refused,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job import Job  # noqa: PLC0415
        from ..models.job_action_refused_item import JobActionRefusedItem  # noqa: PLC0415

        d = dict(src_dict)
        job = Job.from_dict(d.pop("job"))

        done = cast(list[int], d.pop("done"))

        refused = []
        _refused = d.pop("refused")
        for refused_item_data in _refused:
            refused_item = JobActionRefusedItem.from_dict(refused_item_data)

            refused.append(refused_item)

        job_action = cls(
            job=job,
            done=done,
            refused=refused,
        )

        job_action.additional_properties = d
        return job_action

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
