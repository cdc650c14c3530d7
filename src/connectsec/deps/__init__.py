"""R14 in source: lockfiles and manifests resolved to exact versions, matched against OSV advisories."""
