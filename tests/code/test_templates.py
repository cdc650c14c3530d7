# ruff: noqa: E501  (seeded source lines stay on one line, as in real code)
"""The sharedSecret rendered into pages: templates that use it, handlers that pass it to a template."""

from __future__ import annotations

from pathlib import Path

from connectsec.code import scan_code
from tests.code.tree import facts, seeded, write_tree

SEEDED = {
    "views/config.hbs": """
        <h1>{{title}}</h1>
        <script>window.tenant = { key: "{{clientKey}}", secret: "{{sharedSecret}}" };</script> <!-- SEED: code.shared-secret-client-side -->
        """,
    "templates/admin.html.j2": """
        {# debugging page #}
        <dd>{{ tenant.shared_secret }}</dd> {# SEED: code.shared-secret-client-side #}
        """,
    "web/views.py": """
        from flask import render_template


        def admin(tenant):
            return render_template("admin.html.j2", secret=tenant.shared_secret)  # SEED: code.shared-secret-client-side
        """,
    "server/routes.js": """
        app.get('/config', addon.authenticate(), async (req, res) => {
          const info = await addon.settings.get('clientInfo', req.context.clientKey);
          res.render('config', { clientKey: info.clientKey, sharedSecret: info.sharedSecret }); // SEED: code.shared-secret-client-side
        });
        """,
}

CLEAN = {
    "views/config.hbs": """
        {{!-- never render the sharedSecret here --}}
        <!-- the sharedSecret stays on the server -->
        <h1>{{title}}</h1>
        <script>window.tenant = { key: "{{clientKey}}" };</script>
        """,
    "templates/admin.html.j2": """
        {# the shared_secret is not shown #}
        <dd>{{ tenant.client_key }}</dd>
        """,
    "web/views.py": """
        from flask import render_template


        def admin(tenant):
            return render_template("admin.html.j2", tenant_key=tenant.client_key)
        """,
    "server/routes.js": """
        app.get('/config', addon.authenticate(), async (req, res) => {
          const info = await addon.settings.get('clientInfo', req.context.clientKey);
          res.render('config', { clientKey: info.clientKey });
        });
        """,
}


def test_each_seeded_template_exposure_is_found(tmp_path: Path) -> None:
    root = write_tree(tmp_path, SEEDED)
    expected = seeded(root)
    assert len(expected) == 4
    scan = scan_code(str(root))
    assert facts(scan) == expected
    assert scan.count("template") == 2


def test_clean_template_twin_has_no_fact(tmp_path: Path) -> None:
    assert facts(scan_code(str(write_tree(tmp_path, CLEAN)))) == set()
