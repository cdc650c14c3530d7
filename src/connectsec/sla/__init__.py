"""R15 security SLAs: due dates from a policy table, and the requirement's judgement over history."""

from connectsec.sla.policy import DEFAULT_POLICY, SlaPolicy, load_policy
from connectsec.sla.r15 import annotate, due_date, r15_result, r15_skipped

__all__ = ["DEFAULT_POLICY", "SlaPolicy", "annotate", "due_date", "load_policy", "r15_result", "r15_skipped"]
