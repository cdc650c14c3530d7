"""CloudFormation/SAM templates and serverless.yml `resources`: public S3 storage (R6).

Templates are composed (not constructed) with PyYAML, so `!Ref`/`!Sub` tags need no handlers and every
node keeps its line; JSON templates parse the same way.
"""

from __future__ import annotations

import yaml

from connectsec.code.facts import fact, line_text
from connectsec.model.source import CodeFact

_PUBLIC_ACL = {"PublicRead": False, "AuthenticatedRead": False, "PublicReadWrite": True}
_BLOCK_KEYS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
_WRITE_ACTIONS = ("s3:putobject", "s3:deleteobject", "s3:*", "*")


class TemplateError(ValueError):
    """The file looks like a template but does not parse."""


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.Node):
                return v
    return None


def _scalar(node: yaml.Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return [node] if node is not None else []


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _resources(root: yaml.Node) -> yaml.Node | None:
    resources = _get(root, "Resources")
    if resources is None:
        resources = _get(_get(root, "resources"), "Resources")
    return resources if isinstance(resources, yaml.MappingNode) else None


class _Analyser:
    def __init__(self, rel: str, text: str) -> None:
        self.rel, self.text = rel, text
        self.facts: dict[tuple[str, int], CodeFact] = {}

    def add(self, rule: str, node: yaml.Node, detail: str) -> None:
        line = _line(node)
        self.facts.setdefault((rule, line), fact(rule, self.rel, line, detail, line_text(self.text, line)))

    def run(self) -> list[CodeFact]:
        try:
            documents = list(yaml.compose_all(self.text, Loader=yaml.SafeLoader))
        except yaml.YAMLError as exc:
            raise TemplateError(f"not parseable as YAML/JSON: {str(exc).splitlines()[0]}") from None
        for root in documents:
            resources = _resources(root) if root is not None else None
            if resources is None:
                continue
            for name_node, resource in resources.value:
                rtype = _scalar(_get(resource, "Type")) or ""
                label = f"{rtype} {_scalar(name_node)}"
                properties = _get(resource, "Properties")
                if rtype == "AWS::S3::Bucket":
                    self._bucket(label, properties)
                elif rtype == "AWS::S3::BucketPolicy":
                    self._policy(label, _get(properties, "PolicyDocument"))
        return list(self.facts.values())

    def _bucket(self, label: str, properties: yaml.Node | None) -> None:
        acl = _get(properties, "AccessControl")
        value = _scalar(acl)
        if acl is not None and value in _PUBLIC_ACL:
            rule = "code.iac-public-write-storage" if _PUBLIC_ACL[value] else "code.iac-public-storage"
            self.add(rule, acl, f"{label} sets `AccessControl: {value}`.")
        block = _get(properties, "PublicAccessBlockConfiguration")
        for key in _BLOCK_KEYS:
            setting = _get(block, key)
            if setting is not None and (_scalar(setting) or "").lower() == "false":
                self.add(
                    "code.iac-public-access-unblocked",
                    setting,
                    f"{label} sets `{key}: false`: public ACLs or policies are no longer blocked.",
                )

    def _policy(self, label: str, document: yaml.Node | None) -> None:
        for statement in _items(_get(document, "Statement")):
            if (_scalar(_get(statement, "Effect")) or "") != "Allow" or _get(
                statement, "Condition"
            ) is not None:
                continue
            principal = _get(statement, "Principal")
            if principal is None or not _is_everyone(principal):
                continue
            actions = [(_scalar(a) or "").lower() for a in _items(_get(statement, "Action"))]
            write = any(
                a in _WRITE_ACTIONS or a.startswith(("s3:putobject", "s3:deleteobject")) for a in actions
            )
            self.add(
                "code.iac-public-write-storage" if write else "code.iac-public-storage",
                principal,
                f"{label} allows everyone (`Principal: *`) without a condition"
                + (" to write or delete objects." if write else "."),
            )


def _is_everyone(principal: yaml.Node) -> bool:
    if _scalar(principal) == "*":
        return True
    return any(_scalar(v) == "*" for v in _items(_get(principal, "AWS")))


def looks_like_template(text: str) -> bool:
    """Cheap test before parsing: S3 resources are mentioned."""
    return "AWS::S3::" in text


def analyse_cloudformation(rel: str, text: str) -> list[CodeFact]:
    """R6 facts of one CloudFormation/SAM template or serverless.yml; raises TemplateError."""
    return _Analyser(rel, text).run()
