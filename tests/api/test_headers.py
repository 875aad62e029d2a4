"""Response headers, and what the OpenAPI declares: the Idempotency-Key and every error."""

from creditsvc.api.auth import view_method

HOUSEHOLDS = "/api/v1/households"


def test_every_response_says_nosniff_and_api_answers_are_not_stored(client, officer):
    for response in (client.get(HOUSEHOLDS, headers=officer), client.get(HOUSEHOLDS),
                     client.get("/api/v1/nowhere", headers=officer), client.get("/healthz")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    for response in (client.get(HOUSEHOLDS, headers=officer), client.get(HOUSEHOLDS)):
        assert response.headers["Cache-Control"] == "no-store"


def test_the_docs_page_has_a_csp_that_allows_its_own_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert "'sha256-" in policy and "unsafe-inline' ;" not in policy.split("script-src")[1][:20]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_401_says_how_to_authenticate(client):
    missing = client.get(HOUSEHOLDS)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="creditsvc"'
    wrong = client.get(HOUSEHOLDS, headers={"Authorization": "Bearer csk_nope"})
    assert wrong.headers["WWW-Authenticate"] == 'Bearer realm="creditsvc", error="invalid_token"'


def test_the_openapi_declares_the_idempotency_key_and_every_error(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    idempotent = set()
    for rule in app.url_map.iter_rules():
        target = view_method(app.view_functions[rule.endpoint], "POST")
        if "POST" in rule.methods and getattr(target, "idempotent", False):
            idempotent.add(rule.rule.replace("<string(maxlength=36):", "{").replace(">", "}"))
    assert len(idempotent) >= 8
    assert spec["components"]["schemas"]["Error"]["required"] == ["code", "message", "status"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":  # the path's own (its ids), not an operation
                continue
            headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
            assert ("Idempotency-Key" in headers) == (method == "post" and path in idempotent), path
            responses = operation["responses"]
            assert {"400", "401", "403", "422", "503"} <= set(responses), (method, path)
            if method in ("post", "put", "patch"):
                assert {"409", "413", "415"} <= set(responses), (method, path)
                body = operation.get("requestBody", {}).get("content", {}).get("application/json")
                if body:
                    ref = body["schema"]["$ref"].rsplit("/", 1)[1]
                    assert spec["components"]["schemas"][ref]["additionalProperties"] is False
