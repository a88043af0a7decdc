"""The JSON API: tokens, roles, OPD scoping, labels, assignments and pagination (SQLite and PostgreSQL)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from citra.records import InboxStatus, Sentiment
from citra.store import Store

from .conftest import XSS, token_for


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_auth_and_revocation(client: TestClient, filled) -> None:
    token = token_for(filled, "analis")
    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200 and me.json() == {"name": "analis", "role": "analyst", "opd": None}
    assert client.get("/api/v1/me", headers=bearer("citra_wrong")).status_code == 401
    assert client.get("/api/v1/me").headers["www-authenticate"] == "Bearer"
    with Store.open(filled.ws.database_url) as store:
        store.accounts.revoke_token("analis", "script")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_deactivated_users_tokens_stop(client: TestClient, filled) -> None:
    token = token_for(filled, "pemirsa")
    with Store.open(filled.ws.database_url) as store:
        store.accounts.update_user("pemirsa", active=False)
    assert client.get("/api/v1/index", headers=bearer(token)).status_code == 401


def test_reading_routes(client: TestClient, filled) -> None:
    h = bearer(token_for(filled, "pemirsa"))
    index = client.get("/api/v1/index", headers=h).json()
    assert index["freq"] == "day" and index["rows"] and 0 <= index["rows"][0]["index"] <= 100
    weekly = client.get("/api/v1/index?freq=week&by=topic&since=2026-08-01&until=2026-09-30", headers=h).json()
    assert {r["group"] for r in weekly["rows"]} == {"roads", "health", "waste"}
    assert client.get("/api/v1/index?freq=hour", headers=h).status_code == 200
    assert client.get("/api/v1/index?freq=year", headers=h).status_code == 422
    [alert] = client.get("/api/v1/alerts?status=open", headers=h).json()["alerts"]
    assert alert["drivers"]["terms"][1] == XSS and (alert["handling"], alert["assignee"]) == ("new", None)
    assert client.get("/api/v1/interventions", headers=h).json()[0]["name"] == "Kampanye Jalan Mulus"
    impact = client.get("/api/v1/interventions/Kampanye%20Jalan%20Mulus/impact?days=14", headers=h)
    assert impact.status_code == 200 and impact.json()["post_days"] > 0 and impact.json()["days"]
    assert client.get("/api/v1/interventions/nope/impact", headers=h).status_code == 404
    engagement = client.get("/api/v1/engagement", headers=h).json()
    assert engagement["categories"][0]["category"] == "service_information"
    assert engagement["responses"]["needing"] > 0


def test_posts_pagination_and_filters(client: TestClient, filled) -> None:
    h = bearer(token_for(filled, "pemirsa"))
    first = client.get("/api/v1/posts?limit=30", headers=h).json()
    assert len(first["items"]) == 30 and first["next_cursor"]
    second = client.get(f"/api/v1/posts?limit=30&cursor={first['next_cursor']}", headers=h).json()
    ids = [p["id"] for p in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 60
    times = [p["created_at"] for p in first["items"] + second["items"]]
    assert times == sorted(times, reverse=True)
    # walking every page gives every post of the window exactly once
    seen, cursor = set(), None
    while True:
        page = client.get("/api/v1/posts?limit=200" + (f"&cursor={cursor}" if cursor else ""), headers=h).json()
        seen |= {p["id"] for p in page["items"]}
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 491
    found = client.get("/api/v1/posts?q=BERLUBANG", headers=h).json()["items"]
    assert [p["text"] for p in found] == [f"Tolong {XSS} jalan berlubang <b>parah</b>"]
    negative = client.get("/api/v1/posts?sentiment=negative&topic=health&limit=10", headers=h).json()
    assert all(
        p["annotation"]["sentiment"] == "negative" and "health" in p["annotation"]["topics"] for p in negative["items"]
    )
    assert client.get("/api/v1/posts?cursor=garbage", headers=h).status_code == 400
    assert client.get("/api/v1/posts?limit=500", headers=h).status_code == 422


def test_posts_filters_fill_every_page_and_count(client: TestClient, filled) -> None:
    h = bearer(token_for(filled, "pemirsa"))
    counted = client.get("/api/v1/posts?sentiment=negative&limit=5&count=true", headers=h).json()
    assert counted["total"] > 5 and counted["total_exact"] is True
    assert len(counted["items"]) == 5  # filters run in the database: no short pages
    seen, cursor = [], None
    while True:
        url = "/api/v1/posts?sentiment=negative&limit=7" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=h).json()
        assert len(page["items"]) == 7 or page["next_cursor"] is None
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == counted["total"]
    assert all(p["annotation"]["sentiment"] == "negative" for p in counted["items"])
    citizens = client.get("/api/v1/posts?official=false&needs_response=true&limit=20", headers=h).json()["items"]
    assert citizens and all(not p["is_official"] and p["annotation"]["needs_response"] for p in citizens)


def test_posts_text_query_language(client: TestClient, filled) -> None:
    h = bearer(token_for(filled, "pemirsa"))

    def texts(q: str) -> set[str]:
        response = client.get("/api/v1/posts", params={"q": q, "limit": 200}, headers=h)
        assert response.status_code == 200, response.text
        return {p["text"] for p in response.json()["items"]}

    pothole = f"Tolong {XSS} jalan berlubang <b>parah</b>"
    assert texts("berlubang") == {pothole}
    assert texts('"jalan berlubang"') == {pothole}
    assert texts('"berlubang jalan"') == set()
    assert pothole in texts("berlubang OR zzzkatatakada")
    assert texts("berlubang -parah") == set()
    assert texts("berlu*") == {pothole}
    bad = client.get("/api/v1/posts", params={"q": 'jalan "rusak'}, headers=h)
    assert bad.status_code == 400 and bad.json()["position"] == 6 and bad.json()["reason"] == "unclosed_quote"
    assert client.get("/api/v1/posts", params={"q": "(banjir"}, headers=h).status_code == 400


def test_labels(client: TestClient, filled) -> None:
    body = {"platform": "x", "native_id": filled.native_xss, "label": "neutral"}
    assert client.post("/api/v1/labels", json=body, headers=bearer(token_for(filled, "pemirsa"))).status_code == 403
    done = client.post("/api/v1/labels", json=body, headers=bearer(token_for(filled, "analis", "t2")))
    assert done.status_code == 201 and done.json()["post_id"] == filled.xss_id
    with Store.open(filled.ws.database_url) as store:
        (label,) = list(store.labels())
        assert label.label is Sentiment.NEUTRAL and label.source == "api:analis"
        assert next(store.accounts.audit_log())["action"] == "label.set"
    missing = client.post("/api/v1/labels", json=body | {"native_id": "0"}, headers=bearer(token_for(filled, "admin")))
    assert missing.status_code == 404


def test_inbox_scoping_and_assignment(client: TestClient, filled) -> None:
    pupr = bearer(token_for(filled, "pupr"))
    items = client.get("/api/v1/inbox?limit=200", headers=pupr).json()["items"]
    assert items and {i["opd"] or i["suggested_opd"] for i in items} == {"Dinas PUPR"}
    assert filled.health_id not in {i["post"]["id"] for i in items}
    other = client.get("/api/v1/inbox?opd=Dinas%20Kesehatan&limit=200", headers=pupr).json()["items"]
    assert {i["post"]["id"] for i in other} == {i["post"]["id"] for i in items}
    assert (
        client.post(f"/api/v1/inbox/{filled.health_id}/assign", json={"status": "done"}, headers=pupr).status_code
        == 403
    )
    done = client.post(
        f"/api/v1/inbox/{filled.xss_id}/assign", json={"status": "done", "assignee": "pupr"}, headers=pupr
    )
    assert (
        done.status_code == 200 and done.json()["status"] == "done" and done.json()["post"]["text"].startswith("Tolong")
    )
    analyst = bearer(token_for(filled, "analis"))
    assert client.get("/api/v1/inbox", headers=analyst).status_code == 200
    assert client.post(f"/api/v1/inbox/{filled.xss_id}/assign", json={}, headers=analyst).status_code == 403
    admin = bearer(token_for(filled, "admin"))
    moved = client.post(f"/api/v1/inbox/{filled.health_id}/assign", json={"opd": "Dinas PUPR"}, headers=admin)
    assert moved.json()["status"] == "assigned" and moved.json()["opd"] == "Dinas PUPR"
    assert client.post("/api/v1/inbox/999999/assign", json={}, headers=admin).status_code == 404
    counts = client.get("/api/v1/inbox", headers=admin).json()["counts"]
    assert counts["done"] == 1 and counts["assigned"] == 1
    ranked = client.get("/api/v1/inbox?sort=priority", headers=admin).json()["items"]
    assert [i["priority"] for i in ranked] == sorted((i["priority"] for i in ranked), reverse=True)
    assert all(i["due_at"] for i in ranked)
    late = client.get("/api/v1/inbox?overdue=true", headers=admin).json()["items"]
    assert late and all(i["priority"] >= 8 and i["status"] not in ("done", "answered") for i in late)
    with Store.open(filled.ws.database_url) as store:
        assert store.inbox.item(filled.xss_id).status is InboxStatus.DONE
        assert [e["actor"] for e in store.accounts.audit_log() if e["action"] == "inbox.assign"] == ["admin", "pupr"]


def test_interventions_need_an_editor(client: TestClient, filled) -> None:
    body = {"name": "Kampanye <Bersih>", "date": "2026-09-01", "kind": "campaign", "description": "ab"}
    assert (
        client.post("/api/v1/interventions", json=body, headers=bearer(token_for(filled, "pemirsa"))).status_code == 403
    )
    done = client.post("/api/v1/interventions", json=body, headers=bearer(token_for(filled, "analis")))
    assert done.status_code == 201 and done.json()["description"] == "ab"
    again = client.post("/api/v1/interventions", json=body, headers=bearer(token_for(filled, "analis", "t2")))
    assert again.status_code == 400


def test_session_api_writes_need_the_csrf_header(as_user, filled) -> None:
    analyst, token = as_user("analis")
    body = {"platform": "x", "native_id": filled.native_xss, "label": "negative"}
    assert analyst.get("/api/v1/me").json()["name"] == "analis"
    assert analyst.post("/api/v1/labels", json=body).status_code == 403
    assert analyst.post("/api/v1/labels", json=body, headers={"X-CSRF-Token": token}).status_code == 201


def test_nul_bytes_do_not_break_the_database(client: TestClient, filled) -> None:
    """Refused with 400 before anything reaches the database (more in test_control_chars)."""
    h = bearer(token_for(filled, "admin"))
    assert client.get("/api/v1/posts?q=a%00b", headers=h).status_code == 400
    assert client.get("/api/v1/inbox?opd=a%00b", headers=h).status_code == 400
    body = {"platform": "x", "native_id": "1\u0000", "label": "neutral"}
    assert client.post("/api/v1/labels", json=body, headers=h).status_code == 400


def test_openapi_document(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    paths = set(doc["paths"])
    assert "/api/v1/posts" in paths and "/api/v1/inbox/{post_id}/assign" in paths
    assert not any(not p.startswith("/api/v1/") for p in paths)  # pages stay out of the API document
    schema = doc["paths"]["/api/v1/posts"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/PostsOut"}
    assert client.get("/docs").status_code == 404  # no Swagger UI from a CDN


def test_dates_far_from_now_are_refused(client: TestClient, filled) -> None:
    h = bearer(token_for(filled, "pemirsa"))
    for query in ("until=0001-01-01", "since=9999-12-31", "since=1970-01-01&until=1970-01-01"):
        assert client.get(f"/api/v1/engagement?{query}", headers=h).status_code == 400, query
        assert client.get(f"/api/v1/index?{query}", headers=h).status_code == 400, query
