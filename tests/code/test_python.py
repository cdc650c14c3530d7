# ruff: noqa: E501  (seeded source lines stay on one line, as in real code)
"""Python: sharedSecret logged, returned, stored plain; Atlassian basic auth from user input (ast)."""

from __future__ import annotations

from pathlib import Path

from connectsec.code import scan_code
from tests.code.tree import facts, seeded, write_tree

SEEDED = {
    "app/lifecycle.py": """
        import logging

        from flask import Flask, jsonify, request

        app = Flask(__name__)
        log = logging.getLogger(__name__)


        @app.route("/installed", methods=["POST"])
        def installed():
            payload = request.get_json()
            log.info("install payload: %s", payload)  # SEED: code.install-payload-logged
            log.info("install for %s", payload["baseUrl"])
            secret = payload["sharedSecret"]
            print(f"new tenant secret {secret}")  # SEED: code.shared-secret-logged
            record = {"client_key": payload["clientKey"], "shared_secret": secret}
            db.tenants.insert_one(record)  # SEED: code.shared-secret-stored-plain
            return "", 204


        @app.get("/admin/tenant")
        def tenant_view():
            tenant = db.tenants.find_one({"client_key": request.args["key"]})
            return jsonify(tenant)  # SEED: code.shared-secret-in-response


        @app.get("/admin/secret")
        def secret_view():
            row = db.tenants.find_one({})
            return {"secret": row["shared_secret"]}  # SEED: code.shared-secret-in-response


        @app.post("/lifecycle/installed")
        async def installed_async(request):
            data = await request.json()
            logger.debug(data)  # SEED: code.install-payload-logged
            await Tenant.objects.create(client_key=data["clientKey"], shared_secret=data["sharedSecret"])  # SEED: code.shared-secret-stored-plain
            return {}
        """,
    "app/connect.py": """
        import requests
        from flask import request

        JIRA = "https://example.atlassian.net"


        def import_issues():
            email = request.form["email"]
            token = request.form["api_token"]
            return requests.get(JIRA + "/rest/api/3/search", auth=(email, token))  # SEED: code.atlassian-basic-auth
        """,
}

CLEAN = {
    "app/lifecycle.py": """
        import logging

        from cryptography.fernet import Fernet
        from flask import Flask, jsonify, request

        app = Flask(__name__)
        log = logging.getLogger(__name__)


        @app.route("/installed", methods=["POST"])
        def installed():
            payload = request.get_json()
            log.info("install for %s", payload["baseUrl"])
            sealed = Fernet(KEY).encrypt(payload["sharedSecret"].encode())
            record = {"client_key": payload["clientKey"], "shared_secret": sealed}
            db.tenants.insert_one(record)
            return "", 204


        @app.get("/admin/tenant")
        def tenant_view():
            tenant = db.tenants.find_one({"client_key": request.args["key"]})
            return jsonify({"clientKey": tenant["client_key"]})


        def verify(token, tenant):
            return jwt.decode(token, decrypt(tenant["shared_secret"]), algorithms=["HS256"])
        """,
    "app/connect.py": """
        import os

        import requests

        JIRA = "https://example.atlassian.net"


        def import_issues():
            # the app's own service account, from the environment (never a user's credentials)
            return requests.get(JIRA + "/rest/api/3/search", auth=(os.environ["BOT_EMAIL"], os.environ["BOT_TOKEN"]))
        """,
}


def test_each_seeded_python_problem_is_found_at_its_line(tmp_path: Path) -> None:
    root = write_tree(tmp_path, SEEDED)
    scan = scan_code(str(root))
    expected = seeded(root)
    assert len(expected) == 8
    assert facts(scan) == expected
    assert dict(scan.files) == {"python": 2}


def test_clean_python_twin_has_no_fact(tmp_path: Path) -> None:
    scan = scan_code(str(write_tree(tmp_path, CLEAN)))
    assert facts(scan) == set()
    assert scan.count("python") == 2


def test_unparseable_python_is_reported_for_r7_and_r10(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"legacy.py": 'print "tenant", tenant.shared_secret\n'})
    scan = scan_code(str(root))
    assert [(req, reason.split(":")[0]) for req, reason in scan.unreadable] == [("R7,R10", "legacy.py")]
    assert "could not be parsed" in scan.unreadable[0][1]


def test_basic_auth_without_atlassian_host_is_not_r10(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "proxy.py": """
                import requests
                from flask import request


                def forward():
                    return requests.get("https://api.example.com/", auth=(request.form["u"], request.form["p"]))
                """
        },
    )
    assert facts(scan_code(str(root))) == set()
