"""50 case managers at work against a server on loopback (issue 6, "Load").

Each simulated user logs in as one synthetic case manager (the login form, with its CSRF
token), then, with a second or two of thought between clicks: opens the caseload, opens
client pages from it, and records contacts through the contact modal exactly as the browser
does (htmx GET of the form, then htmx POST with the form's CSRF token; a saved contact
answers 204). Any other answer counts as a failure. FastHttpUser (geventhttpclient) keeps the
load generator's own CPU low: it runs on the same two cores as the server.

Run it with loadtest/run.sh (gunicorn on 127.0.0.1, then locust headless for 60 seconds).
The case managers are syn-cm-0101 onwards (LOCUST_FIRST_CASE_MANAGER), so that the
benchmark's case manager (syn-cm-0001) and their client keep the data the benchmark expects.
"""

from __future__ import annotations

import itertools
import os
import random
import re

from django_otp.oath import TOTP
from locust import FastHttpUser, between, task

PASSWORD = os.environ.get("LOCUST_PASSWORD", "tundra-sparrow-quilt")
# Every synthetic login's authenticator key (devtools.scale.size.SCALE_AUTHENTICATOR_KEY).
AUTHENTICATOR_KEY = bytes.fromhex(os.environ.get("LOCUST_AUTHENTICATOR_KEY", "5ca1ab1e" * 5))
FIRST_CASE_MANAGER = int(os.environ.get("LOCUST_FIRST_CASE_MANAGER", "101"))
CASE_MANAGERS = int(os.environ.get("LOCUST_CASE_MANAGERS", "50"))
HTMX = {"HX-Request": "true"}

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLIENT_LINK = re.compile(r'href="/clients/(\d+)/"')
ENROLLMENT_OPTION = re.compile(r'<option value="(\d+)"[^>]*selected')

_next_user = itertools.count()


class CaseManager(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        number = FIRST_CASE_MANAGER + next(_next_user) % CASE_MANAGERS
        self.username = f"syn-cm-{number:04d}"
        self.clients: list[str] = []
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF_INPUT.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.username} answered {response.status_code}")
        self.second_factor()
        self.caseload()

    def second_factor(self) -> None:
        """The code the login's authenticator app shows now, as a person types it."""
        page = self.client.get("/accounts/second-factor/", name="second factor form")
        token = CSRF_INPUT.search(page.text)
        with self.client.post(
            "/accounts/second-factor/",
            data={
                "code": f"{TOTP(AUTHENTICATOR_KEY).token():06d}",
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="second factor",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"code of {self.username} answered {response.status_code}")

    @task(3)
    def caseload(self) -> None:
        with self.client.get("/", name="caseload", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"caseload answered {response.status_code}")
                return
            self.clients = CLIENT_LINK.findall(response.text) or self.clients

    @task(3)
    def client_page(self) -> None:
        if not self.clients:
            return
        client = random.choice(self.clients)
        self.client.get(f"/clients/{client}/", name="client page")

    @task(2)
    def record_contact(self) -> None:
        if not self.clients:
            return
        client = random.choice(self.clients)
        url = f"/clients/{client}/contacts/new/"
        form = self.client.get(url, headers=HTMX, name="contact form")
        token = CSRF_INPUT.search(form.text)
        enrollment = ENROLLMENT_OPTION.search(form.text)
        if form.status_code != 200 or not token or not enrollment:
            return
        occurred = re.search(r'name="occurred_at" value="([^"]+)"', form.text)
        with self.client.post(
            url,
            data={
                "csrfmiddlewaretoken": token.group(1),
                "enrollment": enrollment.group(1),
                "occurred_at": occurred.group(1) if occurred else "",
                # A collateral contact serves no plan goal, so none has to be chosen.
                "contact_type": "collateral",
                "duration_minutes": "15",
                "travel_minutes": "0",
                "participants": "School counsellor",
                "location": "Phone",
                "note": "Load test: spoke with the school counsellor about attendance.",
            },
            headers=HTMX,
            name="contact save",
            catch_response=True,
        ) as response:
            if response.status_code != 204:
                response.failure(f"contact save answered {response.status_code}")
