#!/usr/bin/env python3
"""Builds the networks and PyTorch reference numbers that the C++ model tests compare against.

    /usr/bin/python3 make_reference_networks.py DEMO_MODEL.pt OUT_DIR

Writes, for the demo U-Net (weights of DEMO_MODEL.pt) and for a MONAI-style network (residual
units, PReLU, transposed convolutions, skip concatenations, blocks in ModuleList/Sequential):
<net>_scripted.pt, <net>_traced.pt and <net>_refs.pt (a scripted module whose buffers hold the
input, logits, tapped activations and the gradients of the class-1 score; names in refs.layers).
Reference activations come from forward hooks, gradients from torch.autograd.grad: an
implementation independent of Voxplain's graph rewriting.
"""
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "resources", "demo"))
from demo_unet import DemoUNet  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from tensor_container import save_tensors  # noqa: E402


class ResidualUnit(nn.Module):
    """MONAI-style residual unit: conv-norm-PReLU twice plus a 1x1x1 projection."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1), nn.InstanceNorm3d(cout, affine=True), nn.PReLU(),
                                  nn.Conv3d(cout, cout, 3, padding=1), nn.InstanceNorm3d(cout, affine=True), nn.PReLU())
        self.residual = nn.Conv3d(cin, cout, 1)

    def forward(self, x):
        return self.conv(x) + self.residual(x)


class MonaiStyleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down_layers = nn.ModuleList([ResidualUnit(2, 6), ResidualUnit(6, 12)])
        self.pool = nn.MaxPool3d(2)
        self.bottom = ResidualUnit(12, 12)
        self.up = nn.ConvTranspose3d(12, 12, 2, stride=2)
        self.decoder = nn.Sequential(ResidualUnit(24, 6), nn.Conv3d(6, 3, 1))

    def forward(self, x):
        a = self.down_layers[0](x)
        b = self.down_layers[1](a)
        c = self.bottom(self.pool(b))
        return self.decoder(torch.cat([self.up(c), b], dim=1))


def references(model, x, layers):
    acts = {}
    handles = []
    named = dict(model.named_modules())
    for name in layers:
        handles.append(named[name].register_forward_hook(lambda m, i, o, name=name: acts.__setitem__(name, o)))
    x = x.clone().requires_grad_(True)
    logits = model(x)
    for h in handles:
        h.remove()
    mask = logits.argmax(1) == 1
    if not mask.any():
        raise SystemExit("reference input has no voxel predicted as class 1: the gradients would all be zero")
    score = logits[:, 1][mask].sum()
    grads = torch.autograd.grad(score, [x] + [acts[n] for n in layers])
    return logits.detach(), [acts[n].detach() for n in layers], [g.detach() for g in grads]


class _DeepLiftRelu(torch.autograd.Function):
    """Rescale rule on a batch [inputs; baselines] (written independently of the C++ op)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.relu(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        n = x.shape[0] // 2
        xi, xr = x[:n], x[n:]
        dx = xi - xr
        dy = torch.relu(xi) - torch.relu(xr)
        m = torch.where(dx.abs() > 1e-7, dy / torch.where(dx.abs() > 1e-7, dx, torch.ones_like(dx)), (xi > 0).to(x.dtype))
        return g * torch.cat([m, m])


class _DeepLiftReluModule(nn.Module):
    def forward(self, x):
        return _DeepLiftRelu.apply(x)


def modified_gradients(model, x):
    """Guided Backprop and DeepLift (zero baseline) input gradients of the class-1 score."""
    import copy
    out = {}
    guided = copy.deepcopy(model)
    for m in guided.modules():
        if isinstance(m, nn.ReLU):
            m.register_full_backward_hook(lambda mod, gin, gout: (gin[0].clamp(min=0),))
    xg = x.clone().requires_grad_(True)
    logits = guided(xg)
    mask = logits.argmax(1) == 1
    out["guided_grad"] = torch.autograd.grad(logits[:, 1][mask].sum(), xg)[0]
    deeplift = copy.deepcopy(model)
    for parent in list(deeplift.modules()):
        for child_name, child in list(parent.named_children()):
            if isinstance(child, nn.ReLU):
                setattr(parent, child_name, _DeepLiftReluModule())
    xd = torch.cat([x, torch.zeros_like(x)]).requires_grad_(True)
    logits = deeplift(xd)[:1]
    mask = logits.argmax(1) == 1
    out["deeplift_grad"] = torch.autograd.grad(logits[:, 1][mask].sum(), xd)[0][:1]
    return out


def export(name, model, x, layers, out, modified=False):
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    torch.jit.script(model).save(os.path.join(out, f"{name}_scripted.pt"))
    torch.jit.trace(model, x).save(os.path.join(out, f"{name}_traced.pt"))
    logits, acts, grads = references(model, x, layers)
    tensors = {"input": x, "logits": logits, "grad_input": grads[0]}
    for i, n in enumerate(layers):
        tensors[f"act{i}"] = acts[i]
        tensors[f"grad{i}"] = grads[i + 1]
    if modified:
        tensors.update(modified_gradients(model, x))
    save_tensors(tensors, os.path.join(out, f"{name}_refs.pt"))
    with open(os.path.join(out, f"{name}_layers.txt"), "w") as f:
        f.write("\n".join(layers) + "\n")


def main():
    demo_path, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    demo = DemoUNet()
    demo.load_state_dict(torch.jit.load(demo_path).state_dict())
    x = torch.randn(1, 2, 32, 32, 32)
    x[:, 0, 10:18, 12:20, 8:16] += 3.0  # a lesion-like blob (bright channel 0, dark channel 1) so that
    x[:, 1, 10:18, 12:20, 8:16] -= 3.0  # class 1 is predicted and the score has a gradient
    export("demo", demo, x, ["enc2", "bottleneck", "up1", "dec1.conv2", "dec1"], out, modified=True)
    monai = MonaiStyleNet()
    export("monai", monai, x, ["down_layers.1", "bottom", "up", "decoder.0", "bottom.conv.2"], out)
    print("reference networks written to", out)


if __name__ == "__main__":
    main()
