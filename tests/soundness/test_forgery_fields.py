"""A forgery generator over every field: genuine certificates of every route, each field mutated.

Routes (genuine certificates, made once per module): points of M in the exact tiers (``on_M_exact``), Arb boxes
(``on_M_ball``), points off M (``off_M``), rank refutations (``refuted``), the zero-set claims, the two
constructions, a DAG in literal semantics, and ``certify``'s exact and ball certificates (with the model's point and
the distances). Every field is mutated: each value (numbers, exact strings, ball radii and midpoints, primes,
distances), keys added, removed and renamed at every level, the claim/verdict/tier words and the evidence's
``m ∉ M``, σ's name and extra σ keys, the DAG's semantics, the widths and the bias convention, and parts of the
witness — or the whole of it — taken from certificates of other routes.

The oracle: a mutant re-checked ``checked`` or ``partial`` must state what its genuine source stated (its
statement key: claim, verdict class, instance, point, recorded class, inertia, distances, … — evidence the kernel
re-derives, such as a tangent basis or a minor, is not part of the statement), or a weaker statement (a box that
contains the genuine one), or a statement the exact engine confirms when asked about the mutated (instance, point);
anything else accepted is a failure. CI runs a derandomized sample (``SAMPLE``), the slow run every mutant
(≥ 10⁴) and prints the counts per route.
"""

from __future__ import annotations

import copy
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

import pytest
from flint import arb

from proofs_check.recheck import recheck
from proofs_check.recheck.exact import parse

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SAMPLE = 400
MAX_LEAVES = 24  # value mutations per certificate: every leaf up to this, else a fixed sample
CLAIMS = ("thm-2.1", "prop-2.3", "thm-4.1", "rem-4.2", "rem-2.2", "sec-5", "lem-3.3", "cor-3.4", "thm-2.1-global",
          "dim-M-global", "thm-9.9")
VERDICTS = ("proved", "certified", "numerical", "refuted", "hypothesis-fails", "inconclusive")
SIGMAS = ("relu", "rectpow3", "smoolu", "tanh", "softplus", "expr:x^3 if x > 0 else 0", "expr:x", "square")
POSITIVE = ("proved", "certified")


def _route(obj) -> str:
    w, claim, verdict = obj["witness"], obj["claim"], obj["verdict"]
    if "model" in w:
        return "certify-" + ("ball" if obj["tier"] == "ball" else "exact")
    if claim in ("lem-3.3", "cor-3.4"):
        return claim
    if claim in ("rem-2.2", "sec-5") and verdict in POSITIVE:
        return "zero-set"
    if verdict == "hypothesis-fails":
        return "off-M"
    if "network" in w.get("instance", {}):
        return "dag"
    if verdict == "refuted":
        return "refuted"
    return "on-M-ball" if obj["tier"] == "ball" else "on-M-exact"


def _corpus():
    import test_forgery as tf
    from conftest import _trained_two_layer

    from symland.models import from_arrays

    from proofs_check.certify_model import certify_model

    certs = []
    for obj, _truth in tf._genuine():
        asserting = obj["verdict"] in ("proved", "certified", "refuted") or (
            obj["verdict"] == "hypothesis-fails" and obj["evidence"].startswith("m ∉ M"))
        if asserting and recheck(obj).status in ("checked", "partial"):
            certs.append(obj)
    for act, seed in (("relu", 2), ("tanh", 1)):
        layers, data, _ = _trained_two_layer(act, seed=seed)
        certs += certify_model(from_arrays(layers, act, source="toy"), data).to_json_obj()["certificates"]
    return certs


@pytest.fixture(scope="module")
def corpus():
    return _corpus()


# ---------------------------------------------------------------------------------------------- the statement

def _norm(v):
    if isinstance(v, str):
        if "+/-" in v or v.strip().startswith("["):
            return ("ball", v)
        try:
            return ("num", str(parse(v)))
        except Exception:  # noqa: BLE001 -- not a number: compared as text
            return ("text", v)
    if isinstance(v, dict):
        return tuple(sorted((k, _norm(x)) for k, x in v.items()))
    if isinstance(v, (list, tuple)):
        return tuple(_norm(x) for x in v)
    return v


def _engine_sigma(name: str) -> str:
    """σ as the *engine* reads the name: its two pieces (so 'rectpow3' and 'expr:x^3 if x > 0 else 0' agree)."""
    from symland import get_activation
    from symland.expr import EXPR_PREFIX, expr_activation

    try:
        act = expr_activation(name[len(EXPR_PREFIX):]) if name.startswith(EXPR_PREFIX) else get_activation(name)
        return f"{act.negative} | {act.positive}"
    except Exception:  # noqa: BLE001 -- a name the engine does not know: compared as written
        return name


def _statement(obj):
    """What the certificate states (evidence the kernel re-derives left out)."""
    w = obj.get("witness") if isinstance(obj.get("witness"), dict) else {}
    verdict = obj.get("verdict")
    cls = "positive" if verdict in POSITIVE else verdict
    inst = copy.deepcopy(w.get("instance")) if isinstance(w.get("instance"), dict) else w.get("instance")
    if isinstance(inst, dict) and inst.get("bias") is True:
        inst.pop("bias")
    if isinstance(inst, dict) and isinstance(inst.get("activation"), str):
        inst["activation"] = _engine_sigma(inst["activation"])  # one function, however it is named
    model = w.get("model") if isinstance(w.get("model"), dict) else {}
    off = verdict == "hypothesis-fails" and str(obj.get("evidence", "")).startswith("m ∉ M")
    return _norm([obj.get("claim"), cls, off, inst, w.get("point"), w.get("params"), w.get("smoothness"),
                  w.get("inertia"), model.get("point"), model.get("distance_linf_upper"),
                  model.get("distance_l2_upper"), w.get("a"), w.get("order")])


def _facts_key(obj):
    """The statement without its claim and verdict: the instance and point it is about, and what it records."""
    return _statement(obj)[3:]


def truths(corpus) -> dict:
    """{facts key: the engine's Truth at that (instance, point)} for the genuine certificates."""
    import test_forgery as tf

    return {_facts_key(c): tf._truth(c, corpus) for c in corpus}


def _box_contains(new, old) -> bool:
    """Every ball of the mutant's point contains the genuine one's (a weaker statement about a larger box)."""
    pn, po = new["witness"].get("point"), old["witness"].get("point")
    if not (isinstance(pn, dict) and isinstance(po, dict)) or set(pn) != set(po):
        return False
    try:
        return all(arb(pn[k].strip()).contains(arb(po[k].strip())) if pn[k] != po[k] else True for k in pn)
    except Exception:  # noqa: BLE001
        return False


def _class(text) -> float:
    return float("inf") if text == "smooth" else int(text[2:]) if isinstance(text, str) and text[:2] == "C^" \
        else -1


def _lower_class(new, old) -> bool:
    """The same statement but a lower recorded class of M near m (C^1 where M is smooth): weaker, still true."""
    a, b = copy.deepcopy(new), copy.deepcopy(old)
    cn, co = a["witness"].pop("smoothness", None), b["witness"].pop("smoothness", None)
    return _statement(a) == _statement(b) and 0 <= _class(cn) <= _class(co)


def _without_model(new, old) -> bool:
    """certify's model (and its distances) dropped: the point statement alone, weaker."""
    a, b = copy.deepcopy(new), copy.deepcopy(old)
    for o in (a, b):
        o["witness"].pop("model", None)
        o["witness"].pop("not_vouched", None)
    return "model" not in new["witness"] and _statement(a) == _statement(b)


def _defective_a(new, old) -> bool:
    """A refuted construction (A defective, no m) with other labels y: A depends on the inputs, a and b only."""
    if new["claim"] not in ("lem-3.3", "cor-3.4") or new["verdict"] != "refuted" or old["witness"].get("m") != []:
        return False
    a, b = copy.deepcopy(new), copy.deepcopy(old)
    for o in (a, b):
        o["witness"]["instance"].pop("Y", None)
    return _statement(a) == _statement(b)


RECTIFIED = ("rectpow3", "smoolu", "relu", "expr:x^3 if x > 0 else 0")


def _dead_truth(new) -> bool:
    """An independent oracle for one-hidden-layer, one-input networks whose every hidden pre-activation
    w·x − b is < 0 at every x, σ rectified (0 on t ≤ 0, so σ' = σ'' = 0 there): f ≡ −b_out, m ∈ M iff every
    y = −b_out, and J_H has the single nonzero column of b_out — rank 1 < d. True when the mutant's (claim,
    verdict) says exactly that (a rank refutation with distinct inputs, or a zero set at a point of M)."""
    import sympy as sp

    w = new["witness"]
    inst, pt = w.get("instance"), w.get("point")
    try:
        widths, act = inst["widths"], inst["activation"]
        if len(widths) != 3 or widths[0] != 1 or widths[2] != 1 or act not in RECTIFIED or "bias" in inst:
            return False

        def q(v):
            r = sp.sympify(v, rational=True)
            if not r.is_Rational:
                raise ValueError(v)
            return r

        xs = [q(r[0]) for r in inst["X"]]
        ys = [q(r[0]) for r in inst["Y"]]
        h = widths[1]
        zs = [q(pt[f"W1_{j}_0"]) * x - q(pt[f"b1_{j}"]) for j in range(h) for x in xs]
        # σ, σ', σ'' vanish on t < 0, and at t = 0 too except for relu (no derivative there)
        dead = all(z < 0 or (z == 0 and act != "relu") for z in zs)
        on_m = all(y == -q(pt["b2_0"]) for y in ys)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, sp.SympifyError):
        return False
    if not (dead and on_m and len(xs) >= 2):
        return False
    if new["verdict"] == "refuted" and len(set(xs)) != len(xs):
        return False  # a counterexample needs distinct inputs
    claim, verdict = new["claim"], new["verdict"]
    return (verdict == "refuted" and claim in ("thm-2.1", "prop-2.3")) or (
        verdict in POSITIVE and claim in ("rem-2.2", "sec-5"))


def _sub_box(new, old) -> bool:
    """The mutant's box lies inside the genuine one (a ball shrunk to a point inside it)."""
    return _same_but_box(new, old) and _box_contains(old, new)


def _same_but_box(new, old) -> bool:
    a, b = copy.deepcopy(new), copy.deepcopy(old)
    for o in (a, b):
        if isinstance(o.get("witness"), dict):
            o["witness"]["point"] = None
    return _statement(a) == _statement(b)


# ----------------------------------------------------------------------------------------------- the mutations

def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, path + (i,))
    else:
        yield path, node


def _dicts(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _dicts(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _dicts(v, path + (i,))


def _get(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def _set(obj, path, value):
    _get(obj, path[:-1])[path[-1]] = value


def _values(v):
    """Replacements for one leaf."""
    if isinstance(v, bool):
        return [not v, "yes"]
    if isinstance(v, int):
        return [v + 1, v - 1, 0, 7, str(v)] if v not in (0, 1) else [v + 1, 1 - v, 7, str(v)]
    if isinstance(v, float):
        return [0.0, v * 2, v / 2, 1e300]
    if v is None:
        return [0, "0"]
    if isinstance(v, str):
        if "+/-" in v:
            mid, _, rad = v.strip("[] ").partition("+/-")
            mid = mid.strip() or "0"
            return [f"[{mid} +/- 1e-3]", f"[{mid} +/- 1e+3]", mid, f"[({mid})*1.001 +/- {rad.strip()}]".replace(
                "(", "").replace(")", ""), "[1 +/- 1e-30]"]
        out = ["0", "1", "-1/3", f"({v}) + 1", f"-({v})", "x"]
        return [x for x in out if x != v]
    return []


def mutants(corpus):
    """(route, family, genuine, mutant) for every mutation of every genuine certificate."""
    others = {}
    for c in corpus:
        others.setdefault(_route(c), c)
    for src in corpus:
        route = _route(src)
        w = src["witness"]

        def m(family, edit, src=src, route=route):
            new = copy.deepcopy(src)
            edit(new)
            return route, family, src, new

        leaves = list(_leaves(w))
        if len(leaves) > MAX_LEAVES:  # long lists (a tangent basis, a point): a fixed sample of their entries
            rng = random.Random(f"{src['claim']}/{src['instance']}/{src['tier']}/{src['verdict']}")
            keep = {p for p, _ in leaves if "basis" not in str(p) and "diagonal" not in str(p)}
            if len(keep) > MAX_LEAVES:
                keep = set(rng.sample(sorted(keep, key=str), MAX_LEAVES))
            rest = [p for p, _ in leaves if p not in keep]
            keep |= set(rng.sample(rest, min(len(rest), MAX_LEAVES // 4)))
            leaves = [(p, v) for p, v in leaves if p in keep]
        for path, v in leaves:
            for nv in _values(v):
                family = "distance" if "distance" in str(path[-1]) else "prime" if path[-1] in (
                    "prime", "det_mod_p") else "radius" if isinstance(v, str) and "+/-" in v else "value"
                yield m(family, lambda o, p=path, nv=nv: _set(o["witness"], p, nv))
        for path, d in _dicts(w):
            for k in list(d):
                yield m("drop", lambda o, p=path, k=k: _get(o["witness"], p).pop(k))
                yield m("rename", lambda o, p=path, k=k: _get(o["witness"], p).__setitem__(
                    k + "_", _get(o["witness"], p).pop(k)))
            for extra in ("extra", "activation_expr", "tangent_basis", "semantics", "widths", "not_vouched"):
                if extra not in d:
                    yield m("add", lambda o, p=path, e=extra: _get(o["witness"], p).__setitem__(
                        e, ["x"] if e == "not_vouched" else "x^3" if e == "activation_expr" else [1, 1, 1]
                        if e == "widths" else "0"))
        for key in ("claim", "verdict", "tier", "evidence", "seconds", "expected", "hypotheses", "details"):
            yield m("drop-top", lambda o, k=key: o.pop(k, None))
        yield m("add-top", lambda o: o.__setitem__("activation", "relu"))
        for claim in CLAIMS:
            if claim != src["claim"]:
                yield m("word", lambda o, c=claim: o.__setitem__("claim", c))
        for verdict in VERDICTS:
            if verdict != src["verdict"]:
                yield m("word", lambda o, v=verdict: o.__setitem__("verdict", v))
                yield m("word", lambda o, v=verdict: o.update(verdict=v, evidence="m ∉ M: forged"))
        for tier in ("exact", "symbolic", "ball", "mp", "float", "none"):
            if tier != src["tier"]:
                yield m("word", lambda o, t=tier: o.__setitem__("tier", t))
        inst = w.get("instance")
        if isinstance(inst, dict):
            for s in SIGMAS:
                if s != inst.get("activation"):
                    yield m("sigma", lambda o, s=s: o["witness"]["instance"].__setitem__("activation", s))
                    yield m("sigma-key", lambda o, s=s: o["witness"]["instance"].__setitem__("sigma", s))
            if "network" in inst:
                for sem in ("standard", "literal", "other"):
                    yield m("semantics", lambda o, s=sem: o["witness"]["instance"]["network"].__setitem__(
                        "semantics", s))
                yield m("semantics", lambda o: o["witness"]["instance"]["network"].pop("semantics"))
                yield m("semantics", lambda o: o["witness"]["instance"].__setitem__("widths", [2, 3, 1]))
            if "widths" in inst:
                n = len(inst["widths"])
                for i in range(n):
                    yield m("widths", lambda o, i=i: o["witness"]["instance"]["widths"].__setitem__(
                        i, o["witness"]["instance"]["widths"][i] + 1))
                yield m("widths", lambda o: o["witness"]["instance"]["widths"].insert(1, 1))
                yield m("widths", lambda o: o["witness"]["instance"].__setitem__("bias", False))
                yield m("widths", lambda o: o["witness"]["instance"].__setitem__("bias", True))
        for other in others.values():
            if other is src:
                continue
            yield m("other-route", lambda o, x=other: o.__setitem__("witness", copy.deepcopy(x["witness"])))
            for part in ("point", "H", "rank", "instance", "model", "params", "A", "b", "H_at_m", "smoothness"):
                if part in w and part in other["witness"] and other["witness"][part] != w[part]:
                    yield m(f"swap:{part}", lambda o, x=other, p=part: o["witness"].__setitem__(
                        p, copy.deepcopy(x["witness"][p])))


# --------------------------------------------------------------------------------------------------- the judge

def judge(route, family, src, new, true_statements=frozenset(), facts=None) -> str:
    """The mutant's outcome: 'rejected', 'unchecked', 'same' (accepted, the statement of its source or of another
    genuine certificate), 'restated' (another (claim, verdict) the engine's facts at the point make true),
    'weaker' (a larger box, a lower class, the model dropped), 'engine' (confirmed by the exact engine), 'dead'
    (confirmed by the independent dead-unit oracle) or 'sub-box' (a box inside the genuine one: its point of M was
    re-solved by the kernel and the engine was not asked — reported apart); AssertionError for anything else."""
    r = recheck(new)
    if r.status in ("rejected", "unchecked"):
        return r.status
    if _statement(new) == _statement(src) or _statement(new) in true_statements:
        return "same"
    import test_forgery as tf

    truth = (facts or {}).get(_facts_key(new))
    if truth is not None and tf.true_statement(truth, new["claim"], new["verdict"], new["evidence"]) is True:
        return "restated"  # another (claim, verdict) the engine's facts at this point make true
    if _same_but_box(new, src) and _box_contains(new, src):
        return "weaker"
    if _lower_class(new, src) or _without_model(new, src):
        return "weaker"
    if _defective_a(new, src):
        return "same"  # a defective A does not depend on the labels y: the same refutation
    if _dead_truth(new):
        return "dead"  # every hidden unit dead: f ≡ −b_out whatever σ (0 on t ≤ 0) and the inputs are
    if family == "radius" and _sub_box(new, src):
        return "sub-box"  # a smaller box inside the genuine one, its point m' re-solved by the kernel

    if tf._engine_truth(new) is True:
        return "engine"
    raise AssertionError(f"accepted forgery ({route}, {family}, source {src['claim']} {src['verdict']} "
                         f"{src['instance']}): {r.status}: {_diff(src, new)[:300]} — {r.summary()[-300:]}")


def _diff(a, b) -> str:
    """The fields where the mutant differs from its source (for the failure message)."""
    fa, fb = dict(_leaves(a)), dict(_leaves(b))
    keys = [k for k in fa.keys() | fb.keys() if fa.get(k, "∅") != fb.get(k, "∅")]
    return "; ".join(f"{'/'.join(map(str, k))}: {str(fa.get(k, '∅'))[:40]} → {str(fb.get(k, '∅'))[:40]}"
                     for k in sorted(keys, key=str)[:6])


def _sample(corpus, k, seed=20):
    everything = list(mutants(corpus))
    by_route = {}
    for item in everything:
        by_route.setdefault((item[0], item[1].split(":")[0]), []).append(item)
    rng = random.Random(seed)
    picked = []
    keys = sorted(by_route)
    while len(picked) < k and any(by_route.values()):
        for key in keys:
            if by_route[key] and len(picked) < k:
                picked.append(by_route[key].pop(rng.randrange(len(by_route[key]))))
    return picked, len(everything)


def test_the_corpus_covers_every_route(corpus):
    assert {_route(c) for c in corpus} == {"on-M-exact", "on-M-ball", "off-M", "refuted", "zero-set", "lem-3.3",
                                          "cor-3.4", "dag", "certify-exact", "certify-ball"}


def test_a_sample_of_field_mutants_is_never_accepted(corpus):
    picked, total = _sample(corpus, SAMPLE)
    assert total >= 10_000
    true, facts = frozenset(_statement(c) for c in corpus), truths(corpus)
    tally = Counter((route, judge(route, family, src, new, true, facts)) for route, family, src, new in picked)
    assert sum(tally.values()) == SAMPLE
    assert sum(v for (_, o), v in tally.items() if o == "rejected") > SAMPLE // 2


@pytest.mark.slow
def test_every_field_mutant_is_never_accepted(corpus):
    tally = Counter()
    true, facts = frozenset(_statement(c) for c in corpus), truths(corpus)
    accepted = []
    shard, shards = (int(x) for x in os.environ.get("SYMLAND_FORGERY_SHARD", "0/1").split("/"))
    for i, (route, family, src, new) in enumerate(mutants(corpus)):
        if i % shards != shard:  # SYMLAND_FORGERY_SHARD=i/k runs every k-th mutant (k processes in parallel)
            continue
        try:
            tally[(route, judge(route, family, src, new, true, facts))] += 1
        except AssertionError as exc:
            tally[(route, "ACCEPTED")] += 1
            accepted.append(str(exc)[:400])
    routes = sorted({r for r, _ in tally})
    print(json.dumps({r: {o: v for (q, o), v in sorted(tally.items()) if q == r} for r in routes}, indent=1))
    print(f"{sum(tally.values())} mutants")
    for line in accepted:
        print("ACCEPTED", line)
    assert accepted == []
    assert sum(tally.values()) * shards >= 10_000
