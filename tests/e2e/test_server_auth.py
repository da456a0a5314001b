"""With Entra ID sign-in on (xlwings Server's own provider), a request without a valid token is refused, and a
user only ever sees their own job folders.

The server is given signing keys made here (``--entraid-keys``, the option for a host that cannot reach
Microsoft), and the tokens are signed with them as Entra ID signs an access token for the add-in: version 2.0,
the tenant's issuer, the add-in's client id as audience. Getting a real token from Office (single sign-on in
Excel) is Office's part and is not tested here.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.helpers.officejs import new_job, payload_of, press_web, start_server, upload

TENANT = "0b1e7c5a-3f7e-4d7b-9a39-2f6d7c1e5a10"
CLIENT = "5d2c8a41-7a6e-4f0e-b1c2-9e4f3a6d8b27"
KEY = RSAKey.generate_key(2048, parameters={"kid": "ragbook-test"})
STRANGER = RSAKey.generate_key(2048, parameters={"kid": "ragbook-test"})


def token(user: str = "user-1", *, key: RSAKey = KEY, audience: str = CLIENT, expires_in: int = 3600) -> str:
    now = int(time.time())
    claims = {"ver": "2.0", "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0", "aud": audience,
              "oid": user, "name": f"Test {user}", "preferred_username": f"{user}@council.example",
              "iat": now - 60, "nbf": now - 60, "exp": now + expires_in}
    return jwt.encode({"alg": "RS256", "kid": "ragbook-test"}, claims, key)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signin")
    keys = folder / "entraid-keys.json"
    keys.write_text(json.dumps({"keys": [KEY.as_dict(private=False)]}), encoding="utf-8")
    running = start_server(folder / "state", "--entraid-tenant-id", TENANT, "--entraid-client-id", CLIENT,
                           "--entraid-keys", str(keys))
    yield running
    running.stop()


@pytest.mark.parametrize("bad", ["none", "not a token", "signed by another key", "for another app", "expired"])
def test_a_press_without_a_valid_token_is_refused(server, sample_master, bad):
    tokens = {"none": None, "not a token": "xyz", "signed by another key": token(key=STRANGER),
              "for another app": token(audience="api://someone-else"), "expired": token(expires_in=-600)}
    with server.client(tokens[bad]) as client:
        press = press_web(client, sample_master, "validate")
    assert press.status == 401, press
    assert press.detail.startswith("Auth error") and press.actions == []


def test_a_signed_in_user_presses_every_kind_of_button(server, sample_master, sample):
    with server.client(token()) as client:
        assert press_web(client, sample_master, "validate").status == 200
        job = new_job(client)
        assert upload(client, job, "import_plan", sample).status_code == 201
        imported = press_web(client, sample_master, "import_plan", job)
        assert imported.status == 200 and imported.alerts[0][0].startswith("Imported 18 actions")


def test_the_file_routes_are_refused_without_a_token_and_jobs_are_their_owners(server, sample, sample_master):
    with server.client() as anonymous:
        assert anonymous.post("/ragbook/jobs").status_code == 401
    with server.client(token("user-1")) as one, server.client(token("user-2")) as two:
        job = new_job(one)
        assert upload(one, job, "import_plan", sample).status_code == 201
        assert two.get(f"/ragbook/jobs/{job}").status_code == 404  # not told apart from a job that is not there
        assert upload(two, job, "import_plan", sample).status_code == 404
        assert two.delete(f"/ragbook/jobs/{job}").status_code == 404
        assert one.get(f"/ragbook/jobs/{job}").json()["uploads"] == {"import_plan": [sample.name]}
        payload = payload_of(sample_master)  # another user's job cannot be pressed with either
        payload["args"] = [job, ""]
        assert two.post("/xlwings/custom-scripts-call/import_plan", json=payload).status_code == 404


def test_what_office_loads_before_sign_in_stays_public(server):
    with server.client() as anonymous:
        manifest = anonymous.get("/manifest.xml")
        assert manifest.status_code == 200
        assert anonymous.get("/taskpane.html").status_code == 200
        assert anonymous.get("/static/ragbook/addin.js").status_code == 200
    info = ET.fromstring(manifest.content).find(".//{http://schemas.microsoft.com/office/taskpaneappversionoverrides}"
                                                "WebApplicationInfo")
    assert info is not None  # the manifest asks Office for single sign-on to the add-in's app registration
    assert info.find("{http://schemas.microsoft.com/office/taskpaneappversionoverrides}Id").text == CLIENT
