"""The API's OpenAPI schema documents the answers every operation can give besides its own.

Every operation that needs authentication can answer 401; every operation with parameters or a
body can answer 422 (the ``validation_error`` handler's shape: ``detail`` and ``errors``, each
naming the field); every operation with a path parameter looks the object up within the user's
scope and can answer 404. Operations document 403 themselves where a visible object can still be
refused. ``tests/fuzz/test_api_schema.py`` checks every answer against this schema.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
INVALID = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["detail", "errors"],
}


def _answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_common_responses(schema: dict[str, Any]) -> dict[str, Any]:
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters") or []
            if operation.get("security"):
                responses.setdefault(401, _answer("Not authenticated", DETAIL))
            if parameters or operation.get("requestBody"):
                responses.setdefault(422, _answer("Invalid input (the field is named)", INVALID))
            if any(p.get("in") == "path" for p in parameters):
                responses.setdefault(404, _answer("Not found in the user's scope", DETAIL))
    return schema


class NulInBody(ValueError):
    """A JSON body holding a NUL character, at ``path`` (PostgreSQL cannot store one in text)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def _find_nul(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return path
            found = _find_nul(item, f"{path}.{key}")
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_nul(item, f"{path}[{index}]")
            if found:
                return found
    return None


class NulRefusingParser(Parser):
    """ninja's JSON parser, refusing a body with a NUL character anywhere (query strings and
    forms are refused earlier, by ``RejectNulInputMiddleware``)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        path = _find_nul(data, "body")
        if path:
            raise NulInBody(path)
        return data


class VeiviserAPI(NinjaAPI):
    """NinjaAPI whose schema documents the common answers (see the module docstring), that
    answers a service's ``PermissionDenied`` with a JSON 403 (not Django's HTML page), and a
    body that is not JSON with the documented 422 (ninja's own answer is an undocumented 400)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parser=NulRefusingParser(), **kwargs)
        self.add_exception_handler(PermissionDenied, self._forbidden)
        self.add_exception_handler(HttpError, self._http_error)

    def _forbidden(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        return self.create_response(request, {"detail": "forbidden"}, status=403)

    def _http_error(self, request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja answers a body that is not JSON with a bare 400; make it the documented 422.
        if exc.status_code == 400 and isinstance(exc.__cause__, NulInBody):
            message = "contains a NUL character (\\u0000), which cannot be stored"
            errors = [{"field": exc.__cause__.path, "message": message}]
            return self.create_response(
                request, {"detail": "invalid input", "errors": errors}, status=422
            )
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            errors = [{"field": "body", "message": "the body is not valid JSON"}]
            return self.create_response(
                request, {"detail": "invalid input", "errors": errors}, status=422
            )
        return self.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return add_common_responses(super().get_openapi_schema(**kwargs))
