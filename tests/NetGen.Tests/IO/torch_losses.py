"""PyTorch peer for NetGen's class-weighted cross-entropy.

  torch_losses.py INPUTS OUT
      reads "logits" [n, c], "labels" [n] (class indices as floats) and "weights" [c] from INPUTS (safetensors), computes
      torch.nn.functional.cross_entropy(logits, labels, weight=weights) (reduction='mean': the sum of w[y]·loss over the
      batch divided by the sum of w[y]) and its gradient with respect to the logits, in float64, and writes them to OUT
      as "loss" [1] and "grad" [n, c].
"""
import sys

import torch
from torch_peer import load, save


def main(inputs_path, out_path):
    inputs = load(inputs_path)
    logits = torch.tensor(inputs["logits"], dtype=torch.float64, requires_grad=True)
    labels = torch.tensor(inputs["labels"]).long()
    weights = torch.tensor(inputs["weights"], dtype=torch.float64)
    loss = torch.nn.functional.cross_entropy(logits, labels, weight=weights)
    loss.backward()
    save(out_path, {"loss": loss.detach().numpy().reshape(1), "grad": logits.grad.numpy()})


if __name__ == "__main__":
    main(*sys.argv[1:])
