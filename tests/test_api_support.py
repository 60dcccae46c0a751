"""Helpers for the API tests: users with tokens, and calls that send them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session

from tracker.models import Role, User
from tracker.tokens.service import create_token


@dataclass
class Api:
    """Calls /api/v1 as a user of a role, with that user's bearer token."""

    client: FlaskClient
    db: Session
    accounts: Any
    tokens: dict[Role, str] = field(default_factory=dict)
    users: dict[Role, User] = field(default_factory=dict)

    def token(self, role: Role = Role.editor) -> str:
        if role not in self.tokens:
            user = self.accounts.make(role)
            made = create_token(self.db, user=user, name=f"{role.value} script")
            self.db.commit()
            self.tokens[role] = made.plain
            self.users[role] = user
        return self.tokens[role]

    def call(
        self, method: str, path: str, json: Any = None, *, role: Role = Role.editor, **kw: Any
    ) -> Any:
        headers = {"Authorization": f"Bearer {self.token(role)}", **kw.pop("headers", {})}
        return self.client.open("/api/v1" + path, method=method, json=json, headers=headers, **kw)

    def get(self, path: str, **kw: Any) -> Any:
        return self.call("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.call("POST", path, json, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.call("PATCH", path, json, **kw)

    def ok(self, method: str, path: str, json: Any = None, status: int = 200, **kw: Any) -> Any:
        response = self.call(method, path, json, **kw)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    # --- arranging data through the API itself -------------------------------------

    def area_id(self, name: str = "Sales") -> int:
        areas = self.ok("GET", "/areas")["items"]
        return next(area["id"] for area in areas if area["name"] == name)

    def metric(self, name: str = "Win rate", kind: str = "proportion", **extra: Any) -> dict:
        body = {"name": name, "area_id": self.area_id(), "kind": kind, **extra}
        return self.ok("POST", "/metrics", body, status=201)

    def weeks_of_readings(self, metric_id: int, weeks: int = 4, start: date | None = None) -> None:
        monday = start or date(2026, 1, 5)
        readings = [
            {
                "period_start": (monday + timedelta(weeks=i)).isoformat(),
                "period_end": (monday + timedelta(weeks=i, days=6)).isoformat(),
                "successes": 120 + i,
                "trials": 1000,
            }
            for i in range(weeks)
        ]
        self.ok("POST", f"/metrics/{metric_id}/readings", readings, status=201)

    def hypothesis(self, metric_id: int, **extra: Any) -> dict:
        body = {
            "title": "Shorter demo form",
            "change": "cut the demo request form to three fields",
            "metric_id": metric_id,
            "direction": "increase",
            "expected_effect": 10,
            "rationale": "half the visitors abandon at the phone field",
            "area_id": self.area_id(),
            "scores": {"impact": 8, "confidence": 6, "ease": 7},
            **extra,
        }
        return self.ok("POST", "/hypotheses", body, status=201)

    def experiment(self, metric_id: int, **extra: Any) -> dict:
        body = {
            "title": "Three-field demo form",
            "primary_metric_id": metric_id,
            "arms": [
                {"name": "control", "share": 0.5, "is_control": True},
                {"name": "B", "share": 0.5},
            ],
            "mde": 0.1,
            "mde_relative": True,
            "alpha": 0.05,
            "power": 0.8,
            **extra,
        }
        return self.ok("POST", "/experiments", body, status=201)
