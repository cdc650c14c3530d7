# ruff: noqa: E501  (seeded source lines stay on one line, as in real code)
"""JavaScript/TypeScript: logs, install routes, responses, browser storage, front-end code, basic auth."""

from __future__ import annotations

from pathlib import Path

from connectsec.code import scan_code
from tests.code.tree import facts, seeded, write_tree

SEEDED = {
    "server/lifecycle.ts": """
        import express from 'express';
        const router = express.Router();

        router.post('/installed', async (req, res) => {
          logger.info('install', req.body); // SEED: code.install-payload-logged
          logger.info(`install for ${req.body.baseUrl}`);
          const payload = req.body;
          console.log(JSON.stringify(payload)); // SEED: code.install-payload-logged
          console.debug('secret', payload.sharedSecret); // SEED: code.shared-secret-logged
          await Tenant.create({ clientKey: payload.clientKey, sharedSecret: payload.sharedSecret }); // SEED: code.shared-secret-stored-plain
          res.sendStatus(204);
        });

        router.get('/debug/tenant/:key', async (req, res) => {
          const tenant = await Tenant.findByPk(req.params.key);
          res.json(tenant); // SEED: code.shared-secret-in-response
        });

        router.get('/debug/secret', async (req, res) => {
          const row = await Tenant.findOne();
          res.send({ secret: row['sharedSecret'] }); // SEED: code.shared-secret-in-response
        });
        export default router;
        """,
    "server/jira.js": """
        const axios = require('axios');
        const SITE = 'https://acme.atlassian.net';

        app.post('/connect-jira', async (req, res) => {
          const { email, apiToken } = req.body;
          const auth = Buffer.from(`${email}:${apiToken}`).toString('base64'); // SEED: code.atlassian-basic-auth
          const me = await axios.get(`${SITE}/rest/api/3/myself`, { headers: { Authorization: `Basic ${auth}` } }); // SEED: code.atlassian-basic-auth
          res.json({ accountId: me.data.accountId });
        });
        """,
    "client/src/Settings.jsx": """
        export function Settings({ tenant }) {
          return <pre>{tenant.sharedSecret}</pre>; // SEED: code.shared-secret-client-side
        }
        """,
    "web/app.js": """
        fetch('/api/tenant').then((r) => r.json()).then((t) => {
          localStorage.setItem('secret', t.sharedSecret); // SEED: code.shared-secret-client-side
        });
        """,
}

CLEAN = {
    "server/lifecycle.ts": """
        import express from 'express';
        const router = express.Router();

        // Never log req.body or the sharedSecret here.
        router.post('/installed', async (req, res) => {
          logger.info(`install for ${req.body.baseUrl}`);
          const { sharedSecret, ...safe } = req.body;
          logger.info('install', safe.clientKey);
          await Tenant.create({ clientKey: safe.clientKey, sharedSecret: await kms.encrypt(sharedSecret) });
          res.sendStatus(204);
        });

        router.get('/debug/tenant/:key', async (req, res) => {
          const tenant = await Tenant.findByPk(req.params.key);
          res.json({ clientKey: tenant.clientKey, baseUrl: tenant.baseUrl });
        });
        export default router;
        """,
    "server/jira.js": """
        const SITE = 'https://acme.atlassian.net';
        // Calls go out as the app (JWT), never with a user's password: 'Basic ' auth is not used.
        app.get('/issues', addon.authenticate(), async (req, res) => {
          const http = addon.httpClient(req);
          http.get(`${SITE}/rest/api/3/search`, (err, response, body) => res.send(body));
        });
        """,
    "client/src/Settings.jsx": """
        export function Settings({ tenant }) {
          return <pre>{tenant.clientKey}</pre>;
        }
        """,
    "web/app.js": """
        AP.context.getToken().then((token) => {
          sessionStorage.setItem('issueFilter', 'open');
        });
        """,
}


def test_each_seeded_javascript_problem_is_found_at_its_line(tmp_path: Path) -> None:
    root = write_tree(tmp_path, SEEDED)
    expected = seeded(root)
    assert len(expected) == 10
    assert facts(scan_code(str(root))) == expected


def test_clean_javascript_twin_has_no_fact(tmp_path: Path) -> None:
    scan = scan_code(str(write_tree(tmp_path, CLEAN)))
    assert facts(scan) == set()
    assert scan.count("javascript") == 4


def test_vendored_and_excluded_trees_are_not_read(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "node_modules/lib/index.js": "console.log(settings.sharedSecret);\n",
            "generated/out.js": "console.log(settings.sharedSecret);\n",
            "src/ok.js": "console.log('ok');\n",
        },
    )
    assert facts(scan_code(str(root))) == {("code.shared-secret-logged", "generated/out.js:1")}
    scan = scan_code(str(root), exclude=("node_modules", "generated"))
    assert facts(scan) == set()
    assert scan.count("javascript") == 1


def test_comments_and_strings_do_not_count(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            "src/notes.js": """
                // console.log(tenant.sharedSecret) was removed
                /* res.json(clientInfo) */
                console.log('the sharedSecret is never logged');
                """
        },
    )
    assert facts(scan_code(str(root))) == set()
