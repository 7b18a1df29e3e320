"""PyTorch peer for NetGen's class-weighted losses.

  torch_losses.py INPUTS OUT
      reads "logits" [n, c], "labels" [n] (class indices as floats) and "weights" [c] from INPUTS (safetensors), computes
      torch.nn.functional.cross_entropy(logits, labels, weight=weights) (reduction='mean': the sum of w[y]·loss over the
      batch divided by the sum of w[y]) and its gradient with respect to the logits, in float64, and writes them to OUT
      as "loss" [1] and "grad" [n, c].

  torch_losses.py bce-sample INPUTS OUT
      reads "logits" [n, c], "targets" [n, c] (labels 0 or 1) and "weights" [2] (class 0, class 1), weights each value by
      the weight of its label, w = weights[y], and computes
      binary_cross_entropy_with_logits(logits, targets, weight=w, reduction='sum') / w.sum(): the weighted mean.

  torch_losses.py bce-pos-weight INPUTS OUT
      as bce-sample for targets anywhere in [0, 1], with PyTorch's pos_weight:
      binary_cross_entropy_with_logits(logits, targets, weight=w0, pos_weight=w1/w0, reduction='sum') divided by the
      total weight Σ w0·(1 − y) + w1·y.

  Both bce forms write "loss" [1] and "grad" [n, c] (with respect to the logits), computed in float64.
"""
import sys

import torch
from torch_peer import load, save


def cross_entropy(inputs):
    logits = torch.tensor(inputs["logits"], dtype=torch.float64, requires_grad=True)
    labels = torch.tensor(inputs["labels"]).long()
    weights = torch.tensor(inputs["weights"], dtype=torch.float64)
    return logits, torch.nn.functional.cross_entropy(logits, labels, weight=weights)


def binary_cross_entropy(inputs, form):
    logits = torch.tensor(inputs["logits"], dtype=torch.float64, requires_grad=True)
    targets = torch.tensor(inputs["targets"], dtype=torch.float64)
    w0, w1 = (float(w) for w in inputs["weights"])
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    if form == "bce-sample":
        weight = torch.where(targets > 0.5, torch.tensor(w1, dtype=torch.float64), torch.tensor(w0, dtype=torch.float64))
        loss = bce(logits, targets, weight=weight, reduction="sum") / weight.sum()
    else:
        pos_weight = torch.tensor(w1 / w0, dtype=torch.float64)
        total = (w0 * (1 - targets) + w1 * targets).sum()
        loss = bce(logits, targets, weight=torch.tensor(w0, dtype=torch.float64), pos_weight=pos_weight, reduction="sum") / total
    return logits, loss


def main(*arguments):
    form, (inputs_path, out_path) = (arguments[0], arguments[1:]) if len(arguments) == 3 else ("cross-entropy", arguments)
    inputs = load(inputs_path)
    logits, loss = cross_entropy(inputs) if form == "cross-entropy" else binary_cross_entropy(inputs, form)
    loss.backward()
    save(out_path, {"loss": loss.detach().numpy().reshape(1), "grad": logits.grad.numpy()})


if __name__ == "__main__":
    main(*sys.argv[1:])
