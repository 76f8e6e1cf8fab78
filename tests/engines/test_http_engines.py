"""HTTP engines against local servers that speak their protocols, errors included."""
from __future__ import annotations

import json
from datetime import UTC

import pytest

from tasks.engines.base import EngineError
from tasks.engines.deepl import DeepLEngine
from tasks.engines.libretranslate import LibreTranslateEngine
from tasks.engines.openai import OpenAIEngine
from tasks.translation import run_pipeline
from tests.engines.stub_server import Reply, StubServer

SECRET = "sk-very-secret-key"


@pytest.fixture(autouse=True)
def _fast_http(settings):
    settings.ZHIYI_HTTP_RETRIES = 2
    settings.ZHIYI_HTTP_TIMEOUT_S = 1


def libre(settings, url):
    settings.ZHIYI_LIBRETRANSLATE_URL = url
    settings.ZHIYI_LIBRETRANSLATE_KEY = SECRET
    return LibreTranslateEngine()


def echo_libre(request: dict) -> Reply:
    return Reply(body={"translatedText": [f"ES:{q}" for q in request["body"]["q"]]})


def test_libretranslate_sends_segments_as_an_array_and_keeps_markup(settings):
    with StubServer(echo_libre) as server:
        engine = libre(settings, server.url)
        result = run_pipeline(engine, ["Hello <1>world</1> & you", "Bye"], "en", "zh-Hant")
    assert result.translations == ["ES:Hello <1>world</1> & you", "ES:Bye"]
    body = server.requests[0]["body"]
    assert server.requests[0]["path"] == "/translate" and len(server.requests) == 1
    assert body["q"] == ['Hello <span class="x1">world</span> &amp; you', "Bye"]
    assert (body["source"], body["target"], body["format"], body["api_key"]) == ("en", "zt", "html", SECRET)


def test_429_waits_for_retry_after_then_succeeds(settings):
    replies = [Reply(429, {"error": "slow down"}, {"Retry-After": "1"}), Reply(200, {"translatedText": ["hola"]})]
    with StubServer(replies) as server:
        assert libre(settings, server.url).translate(["hello"], "en", "es") == ["hola"]
    assert len(server.requests) == 2
    assert server.times[1] - server.times[0] >= 0.95


def test_429_with_retry_after_as_an_http_date_waits_until_then(settings):
    from datetime import datetime, timedelta
    from email.utils import format_datetime

    when = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
    replies = [Reply(429, {"error": "slow down"}, {"Retry-After": when}), Reply(200, {"translatedText": ["hola"]})]
    with StubServer(replies) as server:
        assert libre(settings, server.url).translate(["hello"], "en", "es") == ["hola"]
    # The date has one-second resolution, so the wait is between 1 and 2 seconds.
    assert len(server.requests) == 2
    assert server.times[1] - server.times[0] >= 0.9

def test_5xx_is_retried_then_fails_clearly_without_the_key(settings):
    with StubServer([Reply(503, f"overloaded for key {SECRET}")]) as server:
        with pytest.raises(EngineError) as info:
            libre(settings, server.url).translate(["hello"], "en", "es")
    assert len(server.requests) == 3  # 1 + ZHIYI_HTTP_RETRIES
    assert "HTTP 503" in str(info.value) and "3 attempts" in str(info.value)
    assert SECRET not in str(info.value)


def test_4xx_is_not_retried_and_the_key_is_scrubbed(settings):
    with StubServer([Reply(400, {"error": f"Invalid API key {SECRET}"})]) as server:
        with pytest.raises(EngineError) as info:
            libre(settings, server.url).translate(["hello"], "en", "es")
    assert len(server.requests) == 1
    assert "HTTP 400" in str(info.value) and SECRET not in str(info.value) and "***" in str(info.value)


def test_a_server_that_does_not_answer_in_time_fails_clearly(settings):
    settings.ZHIYI_HTTP_RETRIES = 0
    with StubServer([Reply(200, {"translatedText": ["late"]}, delay=2)]) as server:
        with pytest.raises(EngineError, match="did not answer in time"):
            libre(settings, server.url).translate(["hello"], "en", "es")


@pytest.mark.parametrize("body", ["not json", {"translatedText": "one string"}, {"other": []}])
def test_malformed_answers_are_refused(settings, body):
    with StubServer([Reply(200, body)]) as server:
        with pytest.raises(EngineError):
            libre(settings, server.url).translate(["hello"], "en", "es")


def test_an_unset_url_makes_the_engine_unavailable_with_a_reason(settings):
    settings.ZHIYI_LIBRETRANSLATE_URL = ""
    availability = LibreTranslateEngine().availability()
    assert not availability.available and "ZHIYI_LIBRETRANSLATE_URL" in availability.needs
    assert str(availability.reason) == "No LibreTranslate server is connected to this server."  # no setting named


def chat(content: str) -> Reply:
    return Reply(body={"choices": [{"message": {"role": "assistant", "content": content}}]})


def openai(settings, url):
    settings.ZHIYI_OPENAI_URL = url + "/v1"
    settings.ZHIYI_OPENAI_MODEL = "local-model"
    settings.ZHIYI_OPENAI_KEY = SECRET
    return OpenAIEngine()


def test_openai_compatible_endpoint_returns_one_translation_per_segment(settings):
    with StubServer([chat('```json\n["Hola", "Adiós"]\n```')]) as server:
        assert openai(settings, server.url).translate(["Hello", "Bye"], "en", "es") == ["Hola", "Adiós"]
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert request["body"]["model"] == "local-model"
    assert json.loads(request["body"]["messages"][1]["content"]) == ["Hello", "Bye"]


def test_malformed_model_output_is_retried_then_accepted(settings):
    with StubServer([chat("Sure! Here you go: Hola"), chat('["Hola"]')]) as server:
        assert openai(settings, server.url).translate(["Hello"], "en", "es") == ["Hola"]
    assert len(server.requests) == 2


def test_model_output_that_stays_malformed_fails_clearly(settings):
    with StubServer([chat('["only one"]')]) as server:
        with pytest.raises(EngineError, match="one translation per segment"):
            openai(settings, server.url).translate(["a", "b"], "en", "es")
    assert len(server.requests) == 3


def deepl_reply(request: dict) -> Reply:
    body = request["body"]
    if request["headers"].get("Authorization") != f"DeepL-Auth-Key {SECRET}":
        return Reply(403, {"message": "Wrong key"})
    texts = body["text"]
    return Reply(body={"translations": [{"detected_source_language": "EN", "text": f"{body['target_lang']}:{t}",
                                         "billed_characters": len(t)}
                                        for t in texts]})


def test_deepl_through_the_official_package(settings):
    settings.ZHIYI_DEEPL_KEY = SECRET
    with StubServer(deepl_reply) as server:
        settings.ZHIYI_DEEPL_URL = server.url
        engine = DeepLEngine({"formality": "less"})
        assert engine.translate(["Hello", "Bye"], "en", "de") == ["DE:Hello", "DE:Bye"]
    body = server.requests[0]["body"]
    assert server.requests[0]["path"] == "/v2/translate"
    assert (body["source_lang"], body["tag_handling"], body["formality"]) == ("EN", "html", "less")


def test_deepl_refusing_the_key_is_a_clear_error(settings):
    settings.ZHIYI_DEEPL_KEY = "wrong-key"
    with StubServer(deepl_reply) as server:
        settings.ZHIYI_DEEPL_URL = server.url
        with pytest.raises(EngineError, match="refused the API key"):
            DeepLEngine().translate(["Hello"], "en", "de")


def test_deepl_retries_a_5xx_through_the_sdk_then_succeeds(settings):
    settings.ZHIYI_DEEPL_KEY = SECRET
    replies = iter([Reply(503, {"message": "busy"})])

    def flaky(request: dict) -> Reply:
        return next(replies, None) or deepl_reply(request)

    with StubServer(flaky) as server:
        settings.ZHIYI_DEEPL_URL = server.url
        assert DeepLEngine().translate(["Hello"], "en", "de") == ["DE:Hello"]
    assert len(server.requests) == 2
