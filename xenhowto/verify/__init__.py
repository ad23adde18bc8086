"""Executed examples: run a tailored guide in a sandboxed stand-in for a NetBSD dom0.

- ``sandbox``: the temporary root tree and bubblewrap;
- ``standins/``: NetBSD and Xen commands that check their arguments and
  record their effect in a ledger inside the root;
- ``rootpath``: writing a guide's files inside the root and nowhere else;
- ``record``: which step changed which file, and the ledger;
- ``checks``: the invariants that prove the guide hangs together;
- ``adapters``: the door to the project's validators;
- ``runner``: ``verify(guide)`` and ``verify_many(guides)``.
"""
from xenhowto.verify.runner import Failure, VerifyResult, summary, verify, verify_many
from xenhowto.verify.sandbox import Sandbox

__all__ = ["Failure", "Sandbox", "VerifyResult", "summary", "verify", "verify_many"]
