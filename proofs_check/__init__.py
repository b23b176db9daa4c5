"""proofs_check — the paper's claims, one module each, decided on instances by the symland engine.

>>> from symland import Dataset, get_activation
>>> data = Dataset.from_rows([[0], [1], [3]], [1, -1, 2])
>>> cert = check("lem-3.3", Instance("three", data, get_activation("rectpow3")))
>>> cert.verdict, recheck(cert).status
('proved', 'checked')
"""

from proofs_check.certificate import Certificate, CertificateList, format_table
from proofs_check.claims import ALL_IDS, CLAIMS, run
from proofs_check.instance import Context, Instance
from proofs_check.instances import default_instances
from proofs_check.recheck import RecheckResult, recheck  # noqa: E402 - the function shadows its module's name

__all__ = ["Certificate", "CertificateList", "format_table", "ALL_IDS", "CLAIMS", "run", "Context",
           "Instance", "default_instances", "check", "recheck", "RecheckResult"]


def check(claim: str, instance: Instance, ctx: Context | None = None) -> Certificate:
    """Decide one claim (an id of :data:`ALL_IDS`) on one instance."""
    return run([instance], [claim], ctx=ctx)[0]
