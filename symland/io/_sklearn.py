"""The one place that reads scikit-learn models (an optional extra, ``models``): a fitted ``MLPRegressor``.

scikit-learn's hidden layer k computes σ(x W_k + b_k) with ``coefs_[k]`` of shape (in, out) acting on row vectors,
and ``intercepts_[k]`` added. Written for column vectors that is Wᵀ x + b: the (out, in) weight matrix is
``coefs_[k].T`` and the bias is the framework's +b, which :func:`symland.io.models.from_arrays` negates once into
symland's W x − b. The output layer of a regressor is the identity (``out_activation_ == "identity"``), as in
symland's networks.

Activation names: scikit-learn's ``identity``, ``logistic``, ``tanh``, ``relu`` are symland's ``identity``,
``sigmoid``, ``tanh``, ``relu``.

A classifier (``MLPClassifier``, or anything whose output goes through a softmax/logistic) is refused: the paper's
loss is the squared loss of a network whose last layer is linear, so its claims are not about such a model.

scikit-learn is never imported here: a fitted estimator is read by its attributes, and its own ``predict`` is the
reference forward pass checked against symland's (:func:`symland.io._layers.check_forward`).
"""

from __future__ import annotations

from symland.errors import InputError

__all__ = ["SKLEARN_ACTIVATIONS", "sklearn_layers"]

#: scikit-learn's activation names → symland's.
SKLEARN_ACTIVATIONS = {"identity": "identity", "logistic": "sigmoid", "tanh": "tanh", "relu": "relu"}


def _is_classifier(est) -> bool:
    return (getattr(est, "_estimator_type", None) == "classifier" or hasattr(est, "classes_")
            or "Classifier" in type(est).__name__)


def sklearn_layers(est, source: str) -> tuple[list, str]:
    """([(W (out, in), b (out,))], symland activation name) of a fitted MLPRegressor, or InputError saying why not."""
    kind = type(est).__name__
    if _is_classifier(est):
        raise InputError(f"{source}: {kind} is a classifier (its output goes through "
                         f"{getattr(est, 'out_activation_', 'a softmax/logistic')}); the paper's loss is the squared "
                         "loss of a network with a linear last layer, so only MLPRegressor is imported")
    if hasattr(est, "steps") and hasattr(est, "named_steps"):
        raise InputError(f"{source}: a Pipeline; import its MLPRegressor (pipeline[-1]) and apply the steps before it "
                         "(scaling, …) to the data yourself: they are not part of the network")
    if not (hasattr(est, "coefs_") and hasattr(est, "intercepts_")):
        raise InputError(f"{source}: {kind} has no coefs_/intercepts_ (expected a fitted "
                         "sklearn.neural_network.MLPRegressor; call fit first)")
    out_act = getattr(est, "out_activation_", "identity")
    if out_act != "identity":
        raise InputError(f"{source}: the output layer's activation is {out_act!r}, not the identity; the paper's "
                         "networks have a linear last layer")
    name = getattr(est, "activation", None)
    if name not in SKLEARN_ACTIVATIONS:
        raise InputError(f"{source}: unknown scikit-learn activation {name!r} (known: "
                         f"{', '.join(SKLEARN_ACTIVATIONS)})")
    coefs, intercepts = list(est.coefs_), list(est.intercepts_)
    if len(coefs) != len(intercepts) or not coefs:
        raise InputError(f"{source}: coefs_ and intercepts_ have {len(coefs)} and {len(intercepts)} layers")
    return [(W.T, b) for W, b in zip(coefs, intercepts)], SKLEARN_ACTIVATIONS[name]
