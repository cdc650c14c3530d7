"""Terraform: storage made public by ACLs, policies, IAM members or container access levels (R6)."""

from __future__ import annotations

import re

from connectsec.code.facts import fact, line_text
from connectsec.code.lexical import balanced_end, code_view, line_of
from connectsec.model.source import CodeFact

_BLOCK = re.compile(r"""^\s*(resource|data)\s+"([\w-]+)"\s+"([\w-]+)"\s*\{""", re.MULTILINE)
_HASH_COMMENT = re.compile(r"^[ \t]*#.*$", re.MULTILINE)
_PUBLIC_ACL = re.compile(r"""\bacl\s*=\s*"(public-read-write|public-read|authenticated-read)\"""")
_GLOBAL_GRANTEE = re.compile(r"acs\.amazonaws\.com/groups/global/(AllUsers|AuthenticatedUsers)")
_GRANT_WRITE = re.compile(r"""permission[s]?\s*=\s*\[?\s*"(WRITE|WRITE_ACP|FULL_CONTROL)\"""")
_BLOCK_OFF = re.compile(
    r"\b(block_public_acls|block_public_policy|ignore_public_acls|restrict_public_buckets)\s*=\s*false\b"
)
_STAR_PRINCIPAL = re.compile(
    r""""Principal"\s*[:=]\s*"\*"|\bPrincipal\s*=\s*"\*"|"AWS"\s*[:=]\s*\[?\s*"\*"|\bAWS\s*=\s*\[?\s*"\*\""""
    r"""|\bidentifiers\s*=\s*\[\s*"\*"\s*\]"""
)
_DENY = re.compile(r""""?Effect"?\s*[:=]\s*"Deny"|\beffect\s*=\s*"Deny\"""")
_CONDITION = re.compile(r""""Condition"\s*[:=]|\bCondition\s*=|\bcondition\s*\{""")
_ACTIONS = re.compile(r"""(?:"Action"|\bAction|\bactions)\s*[:=]\s*(\[[^\]]*\]|"[^"]*")""")
_WRITE_ACTION = re.compile(r"s3:(PutObject\w*|DeleteObject\w*|\*)|\"\*\"")
_S3_ACTION = re.compile(r"s3:")
_GCS_PUBLIC = re.compile(r"\ball(Authenticated)?Users\b")
_GCS_WRITE = re.compile(
    r"objectCreator|objectAdmin|storage\.admin|legacyBucketWriter|legacyBucketOwner|WRITER|OWNER"
)
_AZURE_PUBLIC = re.compile(r"""\bcontainer_access_type\s*=\s*"(blob|container)\"""")
_AZURE_ALLOW = re.compile(r"\b(allow_nested_items_to_be_public|allow_blob_public_access)\s*=\s*true\b")
_GCS_TYPES = (
    "google_storage_bucket_iam_member",
    "google_storage_bucket_iam_binding",
    "google_storage_bucket_access_control",
    "google_storage_object_access_control",
    "google_storage_default_object_access_control",
    "google_storage_object_acl",
    "google_storage_bucket_acl",
    "google_iam_policy",
)


class _Analyser:
    def __init__(self, rel: str, text: str) -> None:
        self.rel, self.text = rel, text
        self.uncommented = _HASH_COMMENT.sub(lambda m: " " * len(m.group(0)), text)
        self.code = code_view(self.uncommented, templates=False)
        self.facts: dict[tuple[str, int], CodeFact] = {}

    def add(self, rule: str, offset: int, detail: str) -> None:
        line = line_of(self.text, offset)
        self.facts.setdefault((rule, line), fact(rule, self.rel, line, detail, line_text(self.text, line)))

    def run(self) -> list[CodeFact]:
        for match in _BLOCK.finditer(self.uncommented):
            if self.code[match.end() - 1] != "{":
                continue
            kind, rtype, name = match.groups()
            start = match.end() - 1
            end = balanced_end(self.code, start)
            body = self.uncommented[start:end]
            self._block(kind, rtype, name, start, body)
        return list(self.facts.values())

    def _block(self, kind: str, rtype: str, name: str, start: int, body: str) -> None:
        label = f"{kind} {rtype}.{name}"
        if kind == "resource" and rtype in {"aws_s3_bucket", "aws_s3_bucket_acl"}:
            for m in _PUBLIC_ACL.finditer(body):
                rule = (
                    "code.iac-public-write-storage"
                    if m.group(1) == "public-read-write"
                    else "code.iac-public-storage"
                )
                self.add(rule, start + m.start(), f"{label} sets the canned ACL `{m.group(1)}`.")
            for m in _GLOBAL_GRANTEE.finditer(body):
                rule = (
                    "code.iac-public-write-storage"
                    if _GRANT_WRITE.search(body)
                    else "code.iac-public-storage"
                )
                self.add(rule, start + m.start(), f"{label} grants access to the global group {m.group(1)}.")
        if kind == "resource" and rtype == "aws_s3_bucket_public_access_block":
            for m in _BLOCK_OFF.finditer(body):
                self.add(
                    "code.iac-public-access-unblocked",
                    start + m.start(),
                    f"{label} sets `{m.group(1)} = false`: public ACLs or policies are no longer blocked.",
                )
        if rtype in {
            "aws_s3_bucket_policy",
            "aws_s3_bucket",
            "aws_iam_policy_document",
            "aws_s3_access_point",
        }:
            self._policy(label, rtype, start, body)
        if rtype in _GCS_TYPES:
            for m in _GCS_PUBLIC.finditer(body):
                rule = (
                    "code.iac-public-write-storage" if _GCS_WRITE.search(body) else "code.iac-public-storage"
                )
                self.add(rule, start + m.start(), f"{label} grants a role to `{m.group(0)}` (anyone).")
        if kind == "resource" and rtype == "azurerm_storage_container":
            for m in _AZURE_PUBLIC.finditer(body):
                self.add(
                    "code.iac-public-storage",
                    start + m.start(),
                    f'{label} sets `container_access_type = "{m.group(1)}"`: blobs readable anonymously'
                    + (" and the container listable." if m.group(1) == "container" else "."),
                )
        if kind == "resource" and rtype == "azurerm_storage_account":
            for m in _AZURE_ALLOW.finditer(body):
                self.add(
                    "code.iac-public-access-unblocked",
                    start + m.start(),
                    f"{label} sets `{m.group(1)} = true`: containers of the account may be made public.",
                )

    def _policy(self, label: str, rtype: str, start: int, body: str) -> None:
        for statement_start, statement in _statements(body):
            principal = _STAR_PRINCIPAL.search(statement)
            if principal is None or _DENY.search(statement) or _CONDITION.search(statement):
                continue
            if rtype == "aws_iam_policy_document" and not _S3_ACTION.search(statement):
                continue
            actions = " ".join(m.group(1) for m in _ACTIONS.finditer(statement))
            write = bool(_WRITE_ACTION.search(actions))
            self.add(
                "code.iac-public-write-storage" if write else "code.iac-public-storage",
                start + statement_start + principal.start(),
                f"{label} has a statement allowing everyone (`Principal: *`) without a condition"
                + (" to write or delete objects." if write else "."),
            )


def _statements(body: str) -> list[tuple[int, str]]:
    """Policy statements: each `{…}` of a JSON `Statement` list, each HCL `statement {…}` block, else all."""
    found: list[tuple[int, str]] = []
    code = code_view(body, templates=False)
    for m in re.finditer(r"\bstatement\s*\{", code):
        open_at = m.end() - 1
        found.append((m.start(), body[m.start() : balanced_end(code, open_at)]))
    for m in re.finditer(r""""?Statement"?\s*[:=]\s*\[""", body):
        open_at = m.end() - 1
        end = balanced_end(body, open_at)
        depth, item_start = 0, None
        for i in range(open_at + 1, end - 1):
            if body[i] == "{":
                if depth == 0:
                    item_start = i
                depth += 1
            elif body[i] == "}":
                depth -= 1
                if depth == 0 and item_start is not None:
                    found.append((item_start, body[item_start : i + 1]))
    return found or [(0, body)]


def analyse_terraform(rel: str, text: str) -> list[CodeFact]:
    """R6 facts of one Terraform file."""
    return _Analyser(rel, text).run()
