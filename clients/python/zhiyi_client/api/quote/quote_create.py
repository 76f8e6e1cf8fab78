from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.documents_refused import DocumentsRefused
from ...models.error import Error
from ...models.multi_quote import MultiQuote
from ...models.quote_upload_request import QuoteUploadRequest
from ...types import Response


def _get_kwargs(
    *,
    body: QuoteUploadRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/quote/",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DocumentsRefused | Error | MultiQuote | None:
    if response.status_code == 200:
        response_200 = MultiQuote.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = DocumentsRefused.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DocumentsRefused | Error | MultiQuote]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: QuoteUploadRequest,
) -> Response[DocumentsRefused | Error | MultiQuote]:
    """What a task (`file`, `target_lang`) or a job (`files`, `target_langs`) would cost, without creating
    anything. The single answer's fields are always there; a job's quote adds one line per document ×
    language, the refusals and the total.

    Args:
        body (QuoteUploadRequest): The body of a quote: one document for one language (`file`,
            `target_lang`), or a job's
            documents and languages (`files`, `target_langs`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentsRefused | Error | MultiQuote]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: QuoteUploadRequest,
) -> DocumentsRefused | Error | MultiQuote | None:
    """What a task (`file`, `target_lang`) or a job (`files`, `target_langs`) would cost, without creating
    anything. The single answer's fields are always there; a job's quote adds one line per document ×
    language, the refusals and the total.

    Args:
        body (QuoteUploadRequest): The body of a quote: one document for one language (`file`,
            `target_lang`), or a job's
            documents and languages (`files`, `target_langs`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentsRefused | Error | MultiQuote
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: QuoteUploadRequest,
) -> Response[DocumentsRefused | Error | MultiQuote]:
    """What a task (`file`, `target_lang`) or a job (`files`, `target_langs`) would cost, without creating
    anything. The single answer's fields are always there; a job's quote adds one line per document ×
    language, the refusals and the total.

    Args:
        body (QuoteUploadRequest): The body of a quote: one document for one language (`file`,
            `target_lang`), or a job's
            documents and languages (`files`, `target_langs`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentsRefused | Error | MultiQuote]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: QuoteUploadRequest,
) -> DocumentsRefused | Error | MultiQuote | None:
    """What a task (`file`, `target_lang`) or a job (`files`, `target_langs`) would cost, without creating
    anything. The single answer's fields are always there; a job's quote adds one line per document ×
    language, the refusals and the total.

    Args:
        body (QuoteUploadRequest): The body of a quote: one document for one language (`file`,
            `target_lang`), or a job's
            documents and languages (`files`, `target_langs`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentsRefused | Error | MultiQuote
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
