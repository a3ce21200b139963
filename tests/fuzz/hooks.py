"""Checks of our own for schemathesis, beside its built-in ones (see schemathesis.toml).

Loaded by server/tests/fuzz_openapi.rs through SCHEMATHESIS_HOOKS.
"""

from pathlib import Path

import schemathesis

REPORTS = "POST /api/v1/reports"
OEMBED = "GET /api/v1/oembed"
CONTENT = Path(__file__).resolve().parents[2] / "content" / "articles"
# The articles the server under test loaded: the repo's content folder, one file a slug.
ARTICLES = frozenset(path.stem for path in CONTENT.glob("*.toml"))


@schemathesis.check
def error_shape(ctx, response, case):
    """Every refusal and failure is in the contract's one error shape.

    Whatever the OpenAPI document says about a status, a response of 400 or more carries
    `{"error": {"code": "...", "message": "..."}}` with both texts non-empty, and
    `Cache-Control: no-store`, so that no client ever has to parse another kind of error.
    """
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(
            f"{response.status_code} whose body is not JSON: {response.content[:200]!r}"
        ) from None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        raise AssertionError(f"{response.status_code} without an `error` object: {body!r}")
    for name in ("code", "message"):
        value = error.get(name)
        if not isinstance(value, str) or not value:
            raise AssertionError(
                f"{response.status_code} whose error.{name} is not a non-empty text: {body!r}"
            )
    cache_control = response.headers.get("cache-control", [])
    if cache_control != ["no-store"]:
        raise AssertionError(
            f"{response.status_code} with Cache-Control {cache_control!r}, not no-store"
        )
    return None


@schemathesis.check
def schema_valid_reports_are_accepted(ctx, response, case):
    """`positive_data_acceptance` for reports, less the one refusal the API documents.

    schemathesis makes up article slugs that pass the schema's pattern; a report naming an
    article that does not exist is answered 422 `unknown_article`, as the OpenAPI document
    says. That answer, and only for a slug that really names no article, is not a failure.
    Any other refusal of a schema-valid report is: the schema promised more than the API takes.
    409 (a key reused with another body) and 429 (budgets, set far above a run's writes)
    depend on what was sent before and are left to `error_shape`, as the built-in check
    leaves them.
    """
    if case.operation.label != REPORTS or case.meta is None:
        return None
    if not case.meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if 200 <= status < 300 or status in (409, 429) or status >= 500:
        # 5xx is `not_a_server_error`'s to report.
        return None
    slug = case.body.get("article_slug") if isinstance(case.body, dict) else None
    code = None
    try:
        code = response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        pass
    if status == 422 and code == "unknown_article":
        if isinstance(slug, str) and slug.strip() not in ARTICLES:
            return None
        raise AssertionError(f"422 unknown_article for {slug!r}, an article the server has")
    raise AssertionError(
        f"a schema-valid report was refused with {status} {code}: {response.content[:300]!r}"
    )


@schemathesis.check
def oembed_answers_no_5xx_but_its_501(ctx, response, case):
    """`not_a_server_error` for oEmbed, less the answer its specification prescribes.

    oEmbed answers 501 Not Implemented to a format the provider does not offer (section 2.3.2):
    `format=xml` gets 501 `unsupported_format`, as the OpenAPI document says. Any other 5xx is
    a failure, as everywhere else.
    """
    if case.operation.label != OEMBED or response.status_code < 500:
        return None
    code = None
    try:
        code = response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        pass
    if response.status_code == 501 and code == "unsupported_format":
        return None
    raise AssertionError(f"{response.status_code} {code}: {response.content[:300]!r}")
