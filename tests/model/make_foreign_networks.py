#!/usr/bin/env python3
"""Segmentation networks written the way other projects write them, and what PyTorch computes on them.

    /usr/bin/python3 make_foreign_networks.py OUT_DIR

The C++ tests (test_foreign_networks) open each network as a bare TorchScript file, run the engine on
the study saved here, and compare with these references, computed by plain eager PyTorch (forward
hooks, torch.autograd.grad): none of Voxplain's graph rewriting, windowing or target code is used.

Networks (random weights, seeded; none trained by this project):
  inorm_unet    nnU-Net-like: conv-InstanceNorm-LeakyReLU blocks, strided-conv downsampling,
                transposed-conv upsampling, skip concatenations (scripted). Needs sizes divisible by 4.
  gnorm_net     SegResNet-like: GroupNorm-ReLU residual blocks, trilinear upsampling, additive skip
                (scripted).
  monai_style   MONAI UNet-like: residual units with PReLU and InstanceNorm in ModuleList/Sequential
                (scripted; from make_reference_networks.py).
  fixed_shape   a UNETR-like learned position embedding at the bottleneck, traced at 32^3: it runs
                only on inputs of exactly 32^3.
  always_fails  a forward that raises on every input (error messages).

Cases (a study of two modalities and one network): `exact` cases have sizes the network accepts (the
engine must run them as one window of exactly the volume); `padded` cases need padding, and the
reference pads as little as possible, symmetrically with zeros (the low side gets the smaller half),
runs the network, and crops. References per case (<case>_refs.pt, tensors):
  input [1, C, X, Y, Z], probabilities [K, X, Y, Z] (softmax), mask [X, Y, Z] (argmax == 1),
  saliency [C, ...] and ig [C, ...] (4 Riemann midpoints, zero baseline) of S = sum over the mask of
  the class-1 logit, run one sample per pass; saliency_rowsR (R = 2, 4) the sample run with copies
  of itself as R rows, as the engine pads a single patch to its minimum batch; ig_batchB (B = 2, 4, 8)
  the engine's gradient requests (the steps, then x and the baseline) run B per pass;
  saliency_float64 the exact value the float32 ones approximate; gradcam [X, Y, Z] of one layer; for each KWC layer: kwc<i>_weights [K_l] and
  kwc<i>_map [X, Y, Z] (design.md section 5 written out with hooks: channel zeroed / kept alone).
foreign_networks.json lists the cases, their files, padded sizes and layers.
"""
import copy
import json
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_reference_networks import MonaiStyleNet  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
from tensor_container import save_tensors  # noqa: E402

CLASS = 1


class ConvNormAct(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.norm = nn.InstanceNorm3d(cout, affine=True)
        self.act = nn.LeakyReLU(0.01)

    def forward(self, x):
        return self.act(self.norm(self.conv(x)))


class Stage(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.first = ConvNormAct(cin, cout, stride)
        self.second = ConvNormAct(cout, cout)

    def forward(self, x):
        return self.second(self.first(x))


class InormUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = Stage(2, 8)
        self.enc2 = Stage(8, 16, stride=2)
        self.bottleneck = Stage(16, 24, stride=2)
        self.up2 = nn.ConvTranspose3d(24, 16, 2, stride=2)
        self.dec2 = Stage(32, 16)
        self.up1 = nn.ConvTranspose3d(16, 8, 2, stride=2)
        self.dec1 = Stage(16, 8)
        self.head = nn.Conv3d(8, 3, 1)

    def forward(self, x):
        a = self.enc1(x)
        b = self.enc2(a)
        c = self.bottleneck(b)
        d = self.dec2(torch.cat([self.up2(c), b], 1))
        return self.head(self.dec1(torch.cat([self.up1(d), a], 1)))


class ResBlockGN(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm1 = nn.GroupNorm(4, c)
        self.act1 = nn.ReLU()
        self.conv1 = nn.Conv3d(c, c, 3, padding=1)
        self.norm2 = nn.GroupNorm(4, c)
        self.act2 = nn.ReLU()
        self.conv2 = nn.Conv3d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.conv2(self.act2(self.norm2(self.conv1(self.act1(self.norm1(x))))))


class GNormNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_init = nn.Conv3d(2, 8, 3, padding=1)
        self.down_layers = nn.ModuleList([ResBlockGN(8), nn.Conv3d(8, 16, 3, stride=2, padding=1)])
        self.bottleneck = ResBlockGN(16)
        self.up = nn.Sequential(nn.Conv3d(16, 8, 1), nn.Upsample(scale_factor=2, mode="trilinear", align_corners=False))
        self.decoder = ResBlockGN(8)
        self.head = nn.Conv3d(8, 2, 1)

    def forward(self, x):
        a = self.down_layers[0](self.conv_init(x))
        b = self.bottleneck(self.down_layers[1](a))
        return self.head(self.decoder(self.up(b) + a))


class FixedShapeNet(nn.Module):
    """A learned position embedding of the bottleneck's exact size, as UNETR / SwinUNETR carry."""

    def __init__(self):
        super().__init__()
        self.enc1 = ConvNormAct(2, 8)
        self.enc2 = ConvNormAct(8, 16, stride=2)
        self.bottleneck = ConvNormAct(16, 16, stride=2)
        self.position = nn.Parameter(0.5 * torch.randn(1, 16, 8, 8, 8))
        self.up2 = nn.ConvTranspose3d(16, 16, 2, stride=2)
        self.dec2 = ConvNormAct(32, 8)
        self.up1 = nn.ConvTranspose3d(8, 8, 2, stride=2)
        self.dec1 = ConvNormAct(16, 8)
        self.head = nn.Conv3d(8, 3, 1)

    def forward(self, x):
        a = self.enc1(x)
        b = self.enc2(a)
        c = self.bottleneck(b) + self.position
        d = self.dec2(torch.cat([self.up2(c), b], 1))
        return self.head(self.dec1(torch.cat([self.up1(d), a], 1)))


class AlwaysFails(nn.Module):
    """A model whose forward refuses every input (for the one-line error of `bench` and `predict`)."""

    def forward(self, x):
        if x.dim() > 0:
            raise RuntimeError("this model refuses every input")
        return x


def study(shape, seed):
    """Two modalities with a bright/dark blob (so that class 1 is predicted somewhere)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(1, 2, *shape, generator=g)
    X, Y, Z = shape
    x[:, 0, X // 4:X // 2, Y // 3:2 * Y // 3, Z // 4:3 * Z // 4] += 2.5
    x[:, 1, X // 4:X // 2, Y // 3:2 * Y // 3, Z // 4:3 * Z // 4] -= 2.5
    return x


def symmetric_padding(shape, padded):
    pad = []
    for size, target in reversed(list(zip(shape, padded))):
        diff = target - size
        pad += [diff // 2, diff - diff // 2]
    return pad


class Padded(nn.Module):
    """The network on the input zero-padded to `padded` and cropped back (what the engine should run)."""

    def __init__(self, net, shape, padded):
        super().__init__()
        self.net = net
        self.pad = symmetric_padding(shape, padded)
        self.low = [(p - s) // 2 for s, p in zip(shape, padded)]
        self.shape = shape

    def forward(self, x):
        y = self.net(F.pad(x, self.pad))
        (a, b, c), (X, Y, Z) = self.low, self.shape
        return y[:, :, a:a + X, b:b + Y, c:c + Z]


def score(logits, mask):
    return (logits[:, CLASS] * mask).sum()


def batch_gradients(model, samples, mask):
    """The gradients of S for each of `samples` ([1, C, ...] each) run as one batch: rows do not
    interact, but the kernels a batch size selects round float32 differently."""
    x = torch.cat(samples).requires_grad_(True)
    logits = model(x)
    return torch.autograd.grad(sum(score(logits[i:i + 1], mask) for i in range(len(samples))), x)[0]


def input_gradient(model, x, mask, rows=1):
    """Saliency of the one sample `x`, run in a batch of `rows` copies of it: the engine pads a
    single patch to its measured minimum batch that way."""
    return batch_gradients(model, [x] * rows, mask)[0]


def integrated_gradients(model, x, mask, steps=4, batch=1):
    """4 Riemann midpoints. With `batch` > 1 the gradients run as the engine's requests do: the
    steps, then x and the baseline (zero) for the completeness check, `batch` rows per pass."""
    points = [(i + 0.5) / steps * x for i in range(steps)]
    requests = points + ([x, torch.zeros_like(x)] if batch > 1 else [])
    grads = []
    for first in range(0, len(requests), batch):
        grads += list(batch_gradients(model, requests[first:first + batch], mask))
    return x[0] * sum(grads[:steps]) / steps


def hooked(net, layer, edit=None):
    """Forward hook on `layer` that records its output (and replaces it by edit(output) when given)."""
    store = {}

    def hook(module, inputs, output):
        store["a"] = output
        return edit(output) if edit is not None else None

    return dict(net.named_modules())[layer].register_forward_hook(hook), store


def grad_cam(net, model, x, mask, layer):
    handle, store = hooked(net, layer)
    xr = x.clone().requires_grad_(True)
    logits = model(xr)
    handle.remove()
    a = store["a"]
    g = torch.autograd.grad(score(logits, mask), a)[0][0]
    cam = torch.relu((g.mean(dim=(1, 2, 3))[:, None, None, None] * a[0].detach()).sum(0))
    cam = F.interpolate(cam[None, None], size=x.shape[2:], mode="trilinear", align_corners=False)[0, 0]
    return cam / cam.max()


def kwc(net, model, x, mask, layer):
    """Kernel-weighted contribution, design.md section 5, on the predicted class-1 region. The 2K
    variants (channel k zeroed; channel k kept alone) run as one batch, as the public code does."""
    with torch.no_grad():
        handle, store = hooked(net, layer)
        target = torch.softmax(model(x), 1)[0, CLASS] * mask
        handle.remove()
        a = store["a"][0]
        k = a.shape[0]
        eye = torch.eye(k)
        keep = torch.cat([1 - eye, eye]).view(2 * k, k, 1, 1, 1)
        h, _ = hooked(net, layer, lambda o: o * keep)
        variants = torch.softmax(model(x.expand(2 * k, *x.shape[1:])), 1)[:, CLASS] * mask
        h.remove()
        dropped, alone = variants[:k], variants[k:]
        dependent = (target - torch.minimum(dropped, target)).sum(dim=(1, 2, 3))
        independent = torch.minimum(alone, target).sum(dim=(1, 2, 3))
        w = dependent * independent / target.sum()
        m = (w[:, None, None, None] * a.abs()).sum(0) / a.abs().max()
        m = F.interpolate(m[None, None], size=x.shape[2:], mode="trilinear", align_corners=False)[0, 0]
        return w, m


def make_case(out, name, net_file, net, shape, padded, seed, cam_layer, kwc_layers):
    x = study(shape, seed)
    model = net if tuple(padded) == tuple(shape) else Padded(net, shape, padded)
    with torch.no_grad():
        logits = model(x)
    mask = (logits.argmax(1)[0] == CLASS).float()
    voxels = int(mask.sum())
    if voxels == 0 or voxels == mask.numel():
        raise SystemExit(f"{name}: class {CLASS} predicted on {voxels} voxels: choose another seed")
    refs = {"input": x, "probabilities": torch.softmax(logits, 1)[0], "mask": mask,
            "saliency": input_gradient(model, x, mask), "ig": integrated_gradients(model, x, mask),
            "saliency_rows2": input_gradient(model, x, mask, rows=2),
            "saliency_rows4": input_gradient(model, x, mask, rows=4)}
    for batch in (2, 4, 8):
        refs[f"ig_batch{batch}"] = integrated_gradients(model, x, mask, batch=batch)
    # The same saliency in float64: how far float32 rounding moves each batching from the exact value
    # (a pre-activation within rounding of a ReLU kink flips that element's derivative).
    exact = copy.deepcopy(model).double()
    refs["saliency_float64"] = input_gradient(exact, x.double(), mask.double())
    if cam_layer:
        refs["gradcam"] = grad_cam(net, model, x, mask, cam_layer)
    for i, layer in enumerate(kwc_layers):
        refs[f"kwc{i}_weights"], refs[f"kwc{i}_map"] = kwc(net, model, x, mask, layer)
    save_tensors(refs, os.path.join(out, f"{name}_refs.pt"))
    return {"name": name, "model": net_file, "refs": f"{name}_refs.pt", "size": list(shape), "padded": list(padded),
            "class_voxels": voxels, "gradcam_layer": cam_layer, "kwc_layers": kwc_layers}


def save(net, name, out, traced_at=None):
    net.eval()
    for p in net.parameters():
        p.requires_grad_(False)
    module = torch.jit.trace(net, torch.zeros(1, 2, *traced_at)) if traced_at else torch.jit.script(net)
    module.save(os.path.join(out, f"{name}.pt"))
    return f"{name}.pt"


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    torch.set_num_threads(2)
    cases = []
    inorm = InormUNet()
    f = save(inorm, "inorm_unet", out)
    cases.append(make_case(out, "inorm_unet_exact", f, inorm, (32, 40, 24), (32, 40, 24), 1, "dec2",
                           ["enc2", "bottleneck", "dec1"]))
    cases.append(make_case(out, "inorm_unet_padded", f, inorm, (30, 37, 22), (32, 40, 24), 2, None, []))
    gnorm = GNormNet()
    f = save(gnorm, "gnorm_net", out)
    cases.append(make_case(out, "gnorm_net_exact", f, gnorm, (24, 32, 20), (24, 32, 20), 3, "decoder",
                           ["down_layers.0", "bottleneck", "decoder"]))
    torch.manual_seed(1)
    monai = MonaiStyleNet()
    f = save(monai, "monai_style", out)
    cases.append(make_case(out, "monai_style_exact", f, monai, (32, 24, 28), (32, 24, 28), 4, "decoder.0",
                           ["down_layers.1", "bottom", "decoder.0"]))
    torch.manual_seed(2)
    fixed = FixedShapeNet()
    f = save(fixed, "fixed_shape", out, traced_at=(32, 32, 32))
    cases.append(make_case(out, "fixed_shape_exact", f, fixed, (32, 32, 32), (32, 32, 32), 5, "dec2",
                           ["enc2", "bottleneck", "dec1"]))
    cases.append(make_case(out, "fixed_shape_padded", f, fixed, (28, 30, 32), (32, 32, 32), 6, None, []))
    torch.jit.script(AlwaysFails()).save(os.path.join(out, "always_fails.pt"))
    with open(os.path.join(out, "foreign_networks.json"), "w") as fp:
        json.dump({"class": CLASS, "cases": cases}, fp, indent=1)
    print("foreign networks written to", out, "-", ", ".join(c["name"] for c in cases))


if __name__ == "__main__":
    main()
