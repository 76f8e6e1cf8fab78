from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.stream_token import StreamToken
from ...models.stream_token_options_request import StreamTokenOptionsRequest
from ...models.validation_error import ValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: StreamTokenOptionsRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/streams/token/",
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | StreamToken | ValidationError | None:
    if response.status_code == 200:
        response_200 = StreamToken.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ValidationError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | StreamToken | ValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: StreamTokenOptionsRequest | Unset = UNSET,
) -> Response[Error | StreamToken | ValidationError]:
    """A token for `GET /sse/...?token=<token>`: signed, good only for opening your streams, for
    ZHIYI_STREAM_TOKEN_TTL_S seconds (300 by default). A stream opened with it stays open past that; an
    EventSource reconnecting later needs a new token.

    Args:
        body (StreamTokenOptionsRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | StreamToken | ValidationError]
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
    body: StreamTokenOptionsRequest | Unset = UNSET,
) -> Error | StreamToken | ValidationError | None:
    """A token for `GET /sse/...?token=<token>`: signed, good only for opening your streams, for
    ZHIYI_STREAM_TOKEN_TTL_S seconds (300 by default). A stream opened with it stays open past that; an
    EventSource reconnecting later needs a new token.

    Args:
        body (StreamTokenOptionsRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | StreamToken | ValidationError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: StreamTokenOptionsRequest | Unset = UNSET,
) -> Response[Error | StreamToken | ValidationError]:
    """A token for `GET /sse/...?token=<token>`: signed, good only for opening your streams, for
    ZHIYI_STREAM_TOKEN_TTL_S seconds (300 by default). A stream opened with it stays open past that; an
    EventSource reconnecting later needs a new token.

    Args:
        body (StreamTokenOptionsRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | StreamToken | ValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: StreamTokenOptionsRequest | Unset = UNSET,
) -> Error | StreamToken | ValidationError | None:
    """A token for `GET /sse/...?token=<token>`: signed, good only for opening your streams, for
    ZHIYI_STREAM_TOKEN_TTL_S seconds (300 by default). A stream opened with it stays open past that; an
    EventSource reconnecting later needs a new token.

    Args:
        body (StreamTokenOptionsRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | StreamToken | ValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
