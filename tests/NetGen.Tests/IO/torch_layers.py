"""PyTorch peer for NetGen's normalization and residual layers.

  torch_layers.py NETWORK WEIGHTS INPUTS OUT
      builds NETWORK (one of the C# test networks PeerBatchNorm, PeerNorms, PeerResidual, with the same tensor names),
      loads WEIGHTS (a safetensors file written by NetGen: parameters and running statistics) with
      load_state_dict(strict=True), then with the "inputs" and "targets" tensors of INPUTS:
        - in train() mode: outputs, the loss 0.5·sum((y − t)²)/n (NetGen's squared error) and its gradients;
        - the running statistics after that pass;
        - in eval() mode: outputs with the updated running statistics;
      and writes them to OUT as "train_outputs", "loss", "grad.<name>", "state.<name>" and "eval_outputs".
"""
import sys

import torch
from torch_peer import load, save


class PeerBatchNorm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4, momentum=0.2)
        self.fc = torch.nn.Linear(100, 3)

    def forward(self, x):
        return self.fc(self.bn(self.conv(x)).flatten(1))


class PeerNorms(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(4, 4, 1)
        self.ln = torch.nn.LayerNorm([4, 3, 3])
        self.gn = torch.nn.GroupNorm(2, 4)
        self.lrn = torch.nn.LocalResponseNorm(3, alpha=0.4, beta=0.7, k=1.2)
        self.bn1d = torch.nn.BatchNorm1d(36)
        self.fc = torch.nn.utils.weight_norm(torch.nn.Linear(36, 3))

    def forward(self, x):
        return self.fc(self.bn1d(self.lrn(self.gn(self.ln(self.conv(x)))).flatten(1)))


class Projection(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.projection = torch.nn.Conv2d(3, 4, 1, stride=2)


class PeerResidual(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(2, 3, 3, padding=1)
        self.c2 = torch.nn.utils.weight_norm(torch.nn.Conv2d(3, 4, 3, padding=1, stride=2))
        self.res = Projection()
        self.fc = torch.nn.Linear(64, 3)

    def forward(self, x):
        h = self.c1(x)
        return self.fc((self.c2(h) + self.res.projection(h)).flatten(1))


def main():
    name, weights_path, inputs_path, out_path = sys.argv[1:5]
    model = {"PeerBatchNorm": PeerBatchNorm, "PeerNorms": PeerNorms, "PeerResidual": PeerResidual}[name]()
    weights = {k: torch.from_numpy(v) for k, v in load(weights_path).items()}
    # NetGen does not write num_batches_tracked (it uses a momentum, never the cumulative average): keep PyTorch's.
    for key, value in model.state_dict().items():
        if key.endswith("num_batches_tracked"):
            weights[key] = value
    model.load_state_dict(weights, strict=True)
    data = load(inputs_path)
    x, t = torch.from_numpy(data["inputs"]), torch.from_numpy(data["targets"])
    model.train()
    y = model(x)
    loss = 0.5 * ((y - t) ** 2).sum() / x.shape[0]
    loss.backward()
    result = {"train_outputs": y.detach().numpy(), "loss": loss.detach().reshape(1).numpy()}
    for key, parameter in model.named_parameters():
        result["grad." + key] = parameter.grad.numpy()
    for key, buffer in model.named_buffers():
        if not key.endswith("num_batches_tracked"):
            result["state." + key] = buffer.numpy()
    model.eval()
    with torch.no_grad():
        result["eval_outputs"] = model(x).numpy()
    save(out_path, result)


if __name__ == "__main__":
    main()
