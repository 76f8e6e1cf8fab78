from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.documents_refused import DocumentsRefused
from ...models.error import Error
from ...models.insufficient_credits import InsufficientCredits
from ...models.job_detail import JobDetail
from ...models.job_upload_request import JobUploadRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: JobUploadRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/jobs/",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DocumentsRefused | Error | InsufficientCredits | JobDetail | None:
    if response.status_code == 201:
        response_201 = JobDetail.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = DocumentsRefused.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = InsufficientCredits.from_dict(response.json())

        return response_402

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DocumentsRefused | Error | InsufficientCredits | JobDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: JobUploadRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[DocumentsRefused | Error | InsufficientCredits | JobDetail]:
    """Translate several documents (a zip's documents included) into several languages: one task per
    document × target language, the whole cost reserved at once. All or nothing: a document that cannot
    be translated refuses the job (400 `documents_refused` names each), and a balance short of the total
    refuses it (402 with the total as `cost`); nothing is created then.

    Args:
        idempotency_key (str | Unset):
        body (JobUploadRequest): The multipart body of a new job, as documented.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentsRefused | Error | InsufficientCredits | JobDetail]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: JobUploadRequest,
    idempotency_key: str | Unset = UNSET,
) -> DocumentsRefused | Error | InsufficientCredits | JobDetail | None:
    """Translate several documents (a zip's documents included) into several languages: one task per
    document × target language, the whole cost reserved at once. All or nothing: a document that cannot
    be translated refuses the job (400 `documents_refused` names each), and a balance short of the total
    refuses it (402 with the total as `cost`); nothing is created then.

    Args:
        idempotency_key (str | Unset):
        body (JobUploadRequest): The multipart body of a new job, as documented.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentsRefused | Error | InsufficientCredits | JobDetail
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: JobUploadRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[DocumentsRefused | Error | InsufficientCredits | JobDetail]:
    """Translate several documents (a zip's documents included) into several languages: one task per
    document × target language, the whole cost reserved at once. All or nothing: a document that cannot
    be translated refuses the job (400 `documents_refused` names each), and a balance short of the total
    refuses it (402 with the total as `cost`); nothing is created then.

    Args:
        idempotency_key (str | Unset):
        body (JobUploadRequest): The multipart body of a new job, as documented.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentsRefused | Error | InsufficientCredits | JobDetail]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: JobUploadRequest,
    idempotency_key: str | Unset = UNSET,
) -> DocumentsRefused | Error | InsufficientCredits | JobDetail | None:
    """Translate several documents (a zip's documents included) into several languages: one task per
    document × target language, the whole cost reserved at once. All or nothing: a document that cannot
    be translated refuses the job (400 `documents_refused` names each), and a balance short of the total
    refuses it (402 with the total as `cost`); nothing is created then.

    Args:
        idempotency_key (str | Unset):
        body (JobUploadRequest): The multipart body of a new job, as documented.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentsRefused | Error | InsufficientCredits | JobDetail
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
