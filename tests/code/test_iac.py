# ruff: noqa: E501  (seeded source lines stay on one line, as in real code)
"""Infrastructure-as-code that makes storage public: Terraform, CloudFormation (YAML and JSON), serverless.yml."""

from __future__ import annotations

import json
from pathlib import Path

from connectsec.code import scan_code
from tests.code.tree import facts, seeded, write_tree

TERRAFORM = """
    resource "aws_s3_bucket" "exports" {
      bucket = "acme-exports"
    }

    resource "aws_s3_bucket_acl" "exports" {
      bucket = aws_s3_bucket.exports.id
      acl    = "public-read" # SEED: code.iac-public-storage
    }

    resource "aws_s3_bucket_acl" "uploads" {
      bucket = aws_s3_bucket.uploads.id
      acl    = "public-read-write" # SEED: code.iac-public-write-storage
    }

    resource "aws_s3_bucket_public_access_block" "exports" {
      bucket                  = aws_s3_bucket.exports.id
      block_public_acls       = false # SEED: code.iac-public-access-unblocked
      block_public_policy     = true
      ignore_public_acls      = true
      restrict_public_buckets = true
    }

    resource "aws_s3_bucket_policy" "exports" {
      bucket = aws_s3_bucket.exports.id
      policy = <<EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": "*", # SEED: code.iac-public-storage
          "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::acme-exports/*"
        },
        {
          "Effect": "Allow",
          "Principal": "*",
          "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::acme-exports/*",
          "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}
        }
      ]
    }
    EOF
    }

    data "aws_iam_policy_document" "uploads" {
      statement {
        actions = ["s3:PutObject"]
        principals {
          type        = "*"
          identifiers = ["*"] # SEED: code.iac-public-write-storage
        }
        resources = ["arn:aws:s3:::acme-uploads/*"]
      }
    }

    resource "google_storage_bucket_iam_member" "public" {
      bucket = google_storage_bucket.assets.name
      role   = "roles/storage.objectViewer"
      member = "allUsers" # SEED: code.iac-public-storage
    }

    resource "azurerm_storage_container" "reports" {
      name                  = "reports"
      storage_account_name  = azurerm_storage_account.main.name
      container_access_type = "container" # SEED: code.iac-public-storage
    }
    """

TERRAFORM_CLEAN = """
    # acl = "public-read" was removed in 2023
    resource "aws_s3_bucket_acl" "exports" {
      bucket = aws_s3_bucket.exports.id
      acl    = "private"
    }

    resource "aws_s3_bucket_public_access_block" "exports" {
      bucket                  = aws_s3_bucket.exports.id
      block_public_acls       = true
      block_public_policy     = true
      ignore_public_acls      = true
      restrict_public_buckets = true
    }

    resource "google_storage_bucket_iam_member" "team" {
      bucket = google_storage_bucket.assets.name
      role   = "roles/storage.objectViewer"
      member = "group:team@example.com"
    }

    resource "azurerm_storage_container" "reports" {
      name                  = "reports"
      container_access_type = "private"
    }
    """

CLOUDFORMATION = """
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      Exports:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub "${AWS::StackName}-exports"
          AccessControl: PublicRead # SEED: code.iac-public-storage
          PublicAccessBlockConfiguration:
            BlockPublicAcls: false # SEED: code.iac-public-access-unblocked
            BlockPublicPolicy: true
      ExportsPolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Exports
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal:
                  AWS: "*" # SEED: code.iac-public-write-storage
                Action: ["s3:GetObject", "s3:PutObject"]
                Resource: !Sub "arn:aws:s3:::${Exports}/*"
    """

SERVERLESS = """
    service: issue-insights
    provider:
      name: aws
      runtime: nodejs18.x
    resources:
      Resources:
        Attachments:
          Type: AWS::S3::Bucket
          Properties:
            AccessControl: PublicReadWrite # SEED: code.iac-public-write-storage
    """


def test_each_seeded_terraform_problem_is_found_at_its_line(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"infra/main.tf": TERRAFORM})
    expected = seeded(root)
    assert len(expected) == 7
    scan = scan_code(str(root))
    assert facts(scan) == expected
    assert scan.count("terraform") == 1


def test_clean_terraform_twin_has_no_fact(tmp_path: Path) -> None:
    scan = scan_code(str(write_tree(tmp_path, {"infra/main.tf": TERRAFORM_CLEAN})))
    assert facts(scan) == set()
    assert scan.count("terraform") == 1


def test_cloudformation_yaml_with_tags_and_serverless(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"template.yaml": CLOUDFORMATION, "serverless.yml": SERVERLESS})
    expected = seeded(root)
    assert len(expected) == 4
    scan = scan_code(str(root))
    assert facts(scan) == expected
    assert scan.count("cloudformation") == 2


def test_cloudformation_json_template(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Site": {"Type": "AWS::S3::Bucket", "Properties": {"AccessControl": "AuthenticatedRead"}},
            "Private": {"Type": "AWS::S3::Bucket", "Properties": {"AccessControl": "Private"}},
        }
    }
    root = write_tree(tmp_path, {"cfn/site.json": json.dumps(template, indent=2)})
    scan = scan_code(str(root))
    assert facts(scan) == {("code.iac-public-storage", "cfn/site.json:6")}


def test_clean_cloudformation_twin_has_no_fact(tmp_path: Path) -> None:
    clean = (
        CLOUDFORMATION.replace("PublicRead #", "Private #")
        .replace("BlockPublicAcls: false", "BlockPublicAcls: true")
        .replace('AWS: "*"', 'AWS: "arn:aws:iam::123456789012:role/app"')
    )
    scan = scan_code(str(write_tree(tmp_path, {"template.yaml": clean})))
    assert facts(scan) == set()
    assert scan.count("cloudformation") == 1


def test_broken_template_is_an_r6_gap(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"template.yaml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n   bad: [\n"})
    scan = scan_code(str(root))
    assert [req for req, _ in scan.unreadable] == ["R6"]
    assert scan.unreadable[0][1].startswith("template.yaml: ")
