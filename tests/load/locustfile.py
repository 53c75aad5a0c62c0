"""Load test: people in different roles use the main pages of a seeded national database.

Not part of the test suite (no ``test_`` names; pytest does not collect it). Run it with
``scripts/loadtest.sh`` (docs/performance.md), which seeds, serves and runs locust headless.

Each simulated user signs in with the demo password as one of the seeded logins of
``veiviser seed --scale national`` (veiviser.demo.national) and then, with a think time of one
to three seconds, opens the pages of their role. Requests are grouped by page name so that the
report gives p50/p95 per page. Any status other than 200 is an error.
"""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, events, task

PASSWORD = "veiviser-demo"
# Municipalities with a seeded leader (every municipality has one: n.leder.<number>).
MUNICIPALITIES = ["0301", "4601", "5001", "1103", "1804", "5501", "4642", "4204", "1506", "3301"]
REGIONS = 6
ALIS = 3000


class Visitor(HttpUser):
    wait_time = between(1, 3)
    role = ""
    username = ""

    def on_start(self) -> None:
        # gunicorn closes idle keep-alive connections after 2 s, the think time is 1–3 s:
        # without this a request now and then races the close and fails with status 0.
        self.client.headers["Connection"] = "close"
        self.role, self.username = self.pick()
        page = self.client.get("/logg-inn/", name="login form")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        token = match.group(1) if match else ""
        with self.client.post(
            "/logg-inn/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/logg-inn/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.username} gave {response.status_code}")
        self.municipality = self.own_municipality()
        self.trainees = self.trainee_ids()

    def pick(self) -> tuple[str, str]:
        """The mix of a working day: mostly ALIS, veiledere and municipal leaders."""
        roll = random.random()
        if roll < 0.35:
            return "alis", f"n.alis.{random.randint(1, ALIS)}"
        if roll < 0.55:
            return "veileder", f"n.veileder.{random.randint(1, 500)}"
        if roll < 0.85:
            return "leader", f"n.leder.{random.choice(MUNICIPALITIES)}"
        if roll < 0.95:
            return "regional", f"n.region.{random.randint(1, REGIONS)}"
        if roll < 0.98:
            return "national", "n.nasjonal"
        return "admin", "n.admin"

    @property
    def oversees(self) -> bool:
        return self.role in ("leader", "regional", "national", "admin")

    def own_municipality(self) -> str:
        """The leader's municipality; for a regional office one of its region's; for national
        and admin users one of a fixed list (they too look at one municipality at a time)."""
        response = self.client.get("/api/me", name="/api/me")
        roles = response.json()["roles"] if response.status_code == 200 else []
        numbers = [r["municipality"] for r in roles if r["municipality"]]
        regions = [r["regional_office"] for r in roles if r["regional_office"]]
        if numbers:
            return numbers[0]
        if regions:
            listed = self.client.get(
                f"/api/municipalities?region={regions[0]}&limit=100",
                name="/api/municipalities",
            )
            items = listed.json().get("items", []) if listed.status_code == 200 else []
            if items:
                return str(random.choice(items)["number"])
        return random.choice(MUNICIPALITIES)

    def trainee_ids(self) -> list[int]:
        response = self.client.get("/api/trainees?limit=50", name="/api/trainees")
        if response.status_code != 200:
            return []
        return [item["id"] for item in response.json().get("items", [])]

    def get(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url} {response.error or ''}")

    @task(3)
    def start_page(self) -> None:
        self.get("/", "start page")

    @task(2)
    def alis_list(self) -> None:
        if self.role == "alis":
            return
        suffix = f"?kommune={self.municipality}" if self.oversees else ""
        self.get(f"/alis/{suffix}", "ALIS list")

    @task(4)
    def alis_progress(self) -> None:
        if self.trainees:
            self.get(f"/alis/{random.choice(self.trainees)}/", "ALIS progress page")

    @task(2)
    def alis_goals(self) -> None:
        if self.trainees:
            self.get(f"/alis/{random.choice(self.trainees)}/mal/", "ALIS goals page")

    @task(2)
    def municipality_page(self) -> None:
        if self.oversees:
            self.get(f"/kommuner/{self.municipality}/", "municipality page")

    @task(2)
    def position_list(self) -> None:
        if self.oversees:
            self.get(f"/stillinger/?kommune={self.municipality}", "position list")

    @task(1)
    def position_figures(self) -> None:
        if self.oversees:
            self.get(f"/stillinger/tall/?kommune={self.municipality}", "position figures")

    @task(2)
    def api_lists(self) -> None:
        self.get("/api/municipalities?limit=100", "/api/municipalities")
        self.get("/api/trainees?limit=50", "/api/trainees")

    @task(3)
    def healthz(self) -> None:
        self.get("/healthz", "/healthz")


@events.quitting.add_listener
def _summary(environment, **_kwargs) -> None:  # type: ignore[no-untyped-def]
    """Print p50/p95 per page and the ratio p95(main pages) / p95(/healthz)."""
    stats = environment.runner.stats
    health = stats.get("/healthz", "GET")
    rows = []
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        if entry.num_requests:
            rows.append(
                (
                    entry.name,
                    entry.num_requests,
                    entry.num_failures,
                    entry.get_response_time_percentile(0.5),
                    entry.get_response_time_percentile(0.95),
                )
            )
    print("\n| page | requests | errors | p50 ms | p95 ms | p95 / p95(/healthz) |")
    print("|---|---:|---:|---:|---:|---:|")
    base = health.get_response_time_percentile(0.95) or 1
    for name, n, failed, p50, p95 in rows:
        print(f"| {name} | {n} | {failed} | {p50:.0f} | {p95:.0f} | {p95 / base:.1f} |")
    total = stats.total
    print(
        f"\nTotal: {total.num_requests} requests, {total.num_failures} errors, "
        f"{total.total_rps:.1f} req/s"
    )
    if total.num_failures:
        environment.process_exit_code = 1
