"""proofs_check — the paper's claims, one module each, decided on instances by the symland engine.

>>> from symland import Dataset, get_activation
>>> data = Dataset.from_rows([[0], [1], [3]], [1, -1, 2])
>>> check("lem-3.3", Instance("three", data, get_activation("rectpow3"))).verdict
'proved'
"""

from proofs_check.certificate import Certificate, CertificateList, format_table
from proofs_check.claims import ALL_IDS, CLAIMS, run
from proofs_check.instance import Context, Instance
from proofs_check.instances import default_instances

__all__ = ["Certificate", "CertificateList", "format_table", "ALL_IDS", "CLAIMS", "run", "Context",
           "Instance", "default_instances", "check"]


def check(claim: str, instance: Instance, ctx: Context | None = None) -> Certificate:
    """Decide one claim (an id of :data:`ALL_IDS`) on one instance."""
    return run([instance], [claim], ctx=ctx)[0]
