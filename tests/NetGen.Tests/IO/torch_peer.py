"""PyTorch peer for NetGen's safetensors tests.

An independent implementation of the safetensors format (json + struct + numpy, not NetGen's code and not the
`safetensors` package) plus PyTorch's own nn.Linear, so the C# tests can compare NetGen against PyTorch for the same
weights and inputs.

  torch_peer.py write DIR   seeds torch, builds the reference MLP, writes DIR/torch_weights.safetensors (its
                            state_dict) and DIR/torch_io.safetensors (inputs and PyTorch's outputs)
  torch_peer.py run WEIGHTS INPUTS OUT
                            loads WEIGHTS (written by NetGen) into the same MLP with load_state_dict(strict=True),
                            runs the "inputs" tensor of INPUTS and writes the outputs to OUT

The network matches the C# test network TorchCheckMlp: Linear(20, 16) + tanh, Linear(16, 12) + ReLU, Linear(12, 5).
"""
import json
import struct
import sys

import numpy as np
import torch


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(20, 16)
        self.fc2 = torch.nn.Linear(16, 12)
        self.out = torch.nn.Linear(12, 5)

    def forward(self, x):
        return self.out(torch.relu(self.fc2(torch.tanh(self.fc1(x)))))


def save(path, tensors, metadata=None):
    """Writes a dict of name -> float32 numpy array in the safetensors layout (sorted names, 8-byte padded header)."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name], dtype="<f4")
        data = array.tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for data in blobs:
            f.write(data)


def load(path):
    """Reads a safetensors file into a dict of name -> numpy array (F32 only)."""
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length].decode("utf-8"))
    body = raw[8 + length:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", (name, info["dtype"])
        begin, end = info["data_offsets"]
        out[name] = np.frombuffer(body[begin:end], dtype="<f4").reshape(info["shape"]).copy()
    return out


def main():
    torch.manual_seed(20240611)
    model = Mlp()
    if sys.argv[1] == "write":
        directory = sys.argv[2]
        with torch.no_grad():
            # Non-trivial biases (PyTorch's default init keeps them small).
            for name, parameter in model.named_parameters():
                if name.endswith("bias"):
                    parameter.uniform_(-0.5, 0.5)
        inputs = torch.randn(9, 20)
        with torch.no_grad():
            outputs = model(inputs)
        save(f"{directory}/torch_weights.safetensors",
             {k: v.numpy() for k, v in model.state_dict().items()}, {"format": "pt"})
        save(f"{directory}/torch_io.safetensors", {"inputs": inputs.numpy(), "outputs": outputs.numpy()})
    elif sys.argv[1] == "run":
        weights = {k: torch.from_numpy(v) for k, v in load(sys.argv[2]).items()}
        model.load_state_dict(weights, strict=True)
        inputs = torch.from_numpy(load(sys.argv[3])["inputs"])
        with torch.no_grad():
            outputs = model(inputs)
        save(sys.argv[4], {"outputs": outputs.numpy()})
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")


if __name__ == "__main__":
    main()
