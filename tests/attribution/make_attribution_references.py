#!/usr/bin/env python3
"""Independent PyTorch references for Voxplain's gradient methods on whole volumes.

    /usr/bin/python3 make_attribution_references.py DEMO_MODEL.pt OUT_DIR

A volume larger than one patch is run through a sliding window written here from MONAI's
definition (patches with 25% overlap, last patch aligned to the border, Gaussian importance with
sigma = 0.125 x patch, blended logits divided by the summed importance). The score is the sum of
the class-1 blended logit over voxels predicted as class 1, and autograd differentiates the whole
blended graph at once - unlike Voxplain, which accumulates patch gradients. Saves input, mask,
Saliency, Input x Gradient and Integrated Gradients (zero baseline, 4 Riemann midpoints) as
buffers of a scripted module (attribution_refs.pt).
"""
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from tensor_container import save_tensors  # noqa: E402

PATCH = 48
OVERLAP = 0.25


def starts(size, patch):
    if patch >= size:
        return [0]
    step = max(1, int(patch * (1 - OVERLAP)))
    count = math.ceil((size - patch) / step) + 1
    return [min(i * step, size - patch) for i in range(count)]


def importance(patch):
    sigma = 0.125 * patch
    x = torch.arange(patch, dtype=torch.float64) - (patch - 1) / 2
    g = torch.exp(-(x * x) / (2 * sigma * sigma))
    m = g[:, None, None] * g[None, :, None] * g[None, None, :]
    m = m / m.max()
    return m.clamp(min=m[m > 0].min()).float()


def blended_logits(model, x, chunk=4):
    """Patches run `chunk` window positions at a time, ordered sample-major inside a batch, so a
    batch [inputs; baselines] stays two matching halves (the DeepLift rule below). Only per-sample
    operations: batching does not change a patch's logits, and this CPU LibTorch runs a batch of 1
    several times slower than a batch of 2."""
    B, _, X, Y, Z = x.shape
    imp = importance(PATCH)
    corners = [(a, b, c) for a in starts(X, PATCH) for b in starts(Y, PATCH) for c in starts(Z, PATCH)]
    out, weight = None, torch.zeros(X, Y, Z)
    for first in range(0, len(corners), chunk):
        group = corners[first:first + chunk]
        batch = torch.cat([x[:, :, a:a + PATCH, b:b + PATCH, c:c + PATCH] for a, b, c in group])
        batch = batch.reshape(len(group), B, *batch.shape[1:]).transpose(0, 1).reshape(-1, *batch.shape[1:])
        y = model(batch if batch.shape[0] > 1 else torch.cat([batch, torch.zeros_like(batch)]))
        y = y[:B * len(group)].reshape(B, len(group), *y.shape[1:])
        if out is None:
            out = torch.zeros(B, y.shape[2], X, Y, Z)
        for j, (a, b, c) in enumerate(group):
            out = out + torch.nn.functional.pad(y[:, j] * imp, (c, Z - c - PATCH, b, Y - b - PATCH, a, X - a - PATCH))
            weight[a:a + PATCH, b:b + PATCH, c:c + PATCH] += imp
    return out / weight


def gradient(model, x, mask):
    x = x.clone().requires_grad_(True)
    score = (blended_logits(model, x)[0, 1] * mask).sum()
    return torch.autograd.grad(score, x)[0], score.item()


def grad_cam(model, x, layer_names, plus_plus):
    """Grad-CAM / Grad-CAM++ on one patch with forward hooks (eager model), each layer map
    upsampled trilinearly (align_corners=False) to the input, normalised to max 1, averaged."""
    modules = dict(model.named_modules())
    acts = {}
    handles = [modules[n].register_forward_hook(lambda m, i, o, n=n: acts.__setitem__(n, o)) for n in layer_names]
    x = x.clone().requires_grad_(True)
    logits = model(x)
    for h in handles:
        h.remove()
    mask = (logits.argmax(1) == 1).float()
    score = (logits[:, 1] * mask).sum()
    grads = torch.autograd.grad(score, [acts[n] for n in layer_names])
    combined = torch.zeros(x.shape[2:])
    for n, g in zip(layer_names, grads):
        a, g = acts[n][0].detach(), g[0]
        if plus_plus:
            g2, g3 = g * g, g * g * g
            den = 2 * g2 + (a * g3).sum(dim=(1, 2, 3), keepdim=True)
            alpha = torch.where(den != 0, g2 / torch.where(den != 0, den, torch.ones_like(den)), torch.zeros_like(g2))
            w = (alpha * torch.relu(g)).sum(dim=(1, 2, 3))
        else:
            w = g.mean(dim=(1, 2, 3))
        cam = torch.relu((w[:, None, None, None] * a).sum(0))
        cam = torch.nn.functional.interpolate(cam[None, None], size=x.shape[2:], mode="trilinear", align_corners=False)[0, 0]
        combined += cam / cam.max() if cam.max() > 0 else cam
    return combined / len(layer_names), mask[0]


def deeplift(eager, x, mask):
    """DeepLift Rescale through the whole blended sliding window (the ReLU rule of tests/model)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model"))
    from make_reference_networks import _DeepLiftReluModule as RescaleModule
    for block in [eager.enc1, eager.enc2, eager.bottleneck, eager.dec2, eager.dec1]:
        block.act1, block.act2 = RescaleModule(), RescaleModule()
    pair = torch.cat([x, torch.zeros_like(x)]).requires_grad_(True)
    blended = blended_logits(eager, pair)
    score = (blended[0, 1] * mask).sum()
    m = torch.autograd.grad(score, pair)[0][:1]
    return x * m, score.item() - (blended[1, 1] * mask).sum().item()


def blended_score(model, x, mask):
    with torch.no_grad():
        return (blended_logits(model, x)[0, 1] * mask).sum().item()


def occlusion(model, x, mask, block):
    """Block occlusion per modality, the score drop averaged over overlapping blocks."""
    base = blended_score(model, x, mask)
    out, count = torch.zeros_like(x), torch.zeros_like(x)
    for c in range(x.shape[1]):
        for a in starts_every(x.shape[2], block):
            for b in starts_every(x.shape[3], block):
                for d in starts_every(x.shape[4], block):
                    xo = x.clone()
                    xo[:, c, a:a + block, b:b + block, d:d + block] = 0
                    drop = base - blended_score(model, xo, mask)
                    out[:, c, a:a + block, b:b + block, d:d + block] += drop
                    count[:, c, a:a + block, b:b + block, d:d + block] += 1
    return out / count.clamp(min=1)


def starts_every(size, block):
    if block >= size:
        return [0]
    s = list(range(0, size - block, block))
    return s + [size - block]


def modality_shapley(model, x, mask):
    v = {}
    for s in range(4):
        xs = x.clone()
        for c in range(2):
            if not s & (1 << c):
                xs[:, c] = 0
        v[s] = blended_score(model, xs, mask)
    phi0 = 0.5 * (v[1] - v[0]) + 0.5 * (v[3] - v[2])
    phi1 = 0.5 * (v[2] - v[0]) + 0.5 * (v[3] - v[1])
    return torch.tensor([phi0, phi1], dtype=torch.float64), torch.tensor([v[3], v[0]], dtype=torch.float64)


def kwc(eager, x, layer_names):
    """Kernel-weighted contribution (Mullan et al. 2023) on one patch with forward hooks that zero
    channels: T = p_1 x (argmax == 1); D_k, I_k, w_k = D_k I_k / Y; layer map sum_k w_k |A_k| / max|A|,
    upsampled trilinearly, layer maps summed."""
    modules = dict(eager.named_modules())
    pair = torch.cat([x, torch.zeros_like(x)])  # batch of 2: see blended_logits

    def model():
        return eager(pair)[:1]
    with torch.no_grad():
        logits = model()
        mask = (logits.argmax(1) == 1).float()
        t = torch.softmax(logits, 1)[:, 1] * mask
        total = t.sum()
        combined = torch.zeros(x.shape[2:])
        for name in layer_names:
            acts = {}
            h = modules[name].register_forward_hook(lambda m, i, o: acts.__setitem__("a", o[:1]))
            model()
            h.remove()
            a = acts["a"]
            k = a.shape[1]
            w = torch.zeros(k)
            for c in range(k):
                keep = torch.ones(1, k, 1, 1, 1)
                keep[:, c] = 0
                h = modules[name].register_forward_hook(lambda m, i, o: o * keep)
                t_drop = torch.softmax(model(), 1)[:, 1] * mask
                h.remove()
                only = 1 - keep
                h = modules[name].register_forward_hook(lambda m, i, o: o * only)
                t_alone = torch.softmax(model(), 1)[:, 1] * mask
                h.remove()
                dependent = (t - torch.minimum(t_drop, t)).sum()
                independent = torch.minimum(t_alone, t).sum()
                w[c] = dependent * independent / total
            m = (w[:, None, None, None] * a[0].abs()).sum(0) / a.abs().max()
            combined += torch.nn.functional.interpolate(m[None, None], size=x.shape[2:], mode="trilinear", align_corners=False)[0, 0]
    return combined


def tiny_kwc_model(out):
    """A hand-checkable KWC case: feat = 1x1x1 conv giving channels (x, 0); head: logit_1 = a_0,
    logit_0 = 0 (see test_perturbation_methods)."""
    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.feat = torch.nn.Conv3d(1, 2, 1)
            self.head = torch.nn.Conv3d(2, 2, 1)

        def forward(self, x):
            return self.head(self.feat(x))
    tiny = Tiny()
    with torch.no_grad():
        tiny.feat.weight.zero_(); tiny.feat.bias.zero_(); tiny.feat.weight[0, 0] = 1.0
        tiny.head.weight.zero_(); tiny.head.bias.zero_(); tiny.head.weight[1, 0] = 1.0; tiny.head.weight[1, 1] = 5.0
    write_package(torch.jit.script(tiny), out, "tiny_kwc", ["X"], 4, {"decoder": ["feat"]})


def linear_model(out):
    """logit_1 = 0.7 FLAIR - 1.3 T1 + 0.2, logit_0 = 0: Shapley values are known in closed form."""
    conv = torch.nn.Conv3d(2, 2, 1)
    with torch.no_grad():
        conv.weight.zero_(); conv.bias.zero_()
        conv.weight[1, 0] = 0.7; conv.weight[1, 1] = -1.3; conv.bias[1] = 0.2
    write_package(torch.jit.script(torch.nn.Sequential(conv)), out, "linear", ["FLAIR", "T1"], 16, {})


def write_package(module, out, name, inputs, patch, layers):
    module.save(os.path.join(out, name + ".pt"))
    manifest = {"name": name, "version": "1", "model": name + ".pt", "layout": "NCXYZ",
                "inputs": [{"name": n, "normalization": {"type": "none"}} for n in inputs],
                "sliding_window": {"patch_size": [patch] * 3, "overlap": 0.25, "blend": "gaussian", "batch_size": 2},
                "output": {"activation": "softmax"},
                "labels": [{"value": 0, "name": "background"}, {"value": 1, "name": "target"}], "layers": layers}
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(manifest, f, indent=2)


def monai_style_references(out, refs):
    """The MONAI-style network of tests/model (residual units, PReLU, instance norm, transposed
    convolution, skip concatenation) as a package with 16^3 patches, and whole-volume references on
    a 28x24x20 volume (several overlapping patches): Saliency, Input x Gradient, IG (4 steps), and
    Grad-CAM of 'bottom' on one patch."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model"))
    from make_reference_networks import MonaiStyleNet
    global PATCH
    torch.manual_seed(5)
    net = MonaiStyleNet().eval()
    for p in net.parameters():
        p.requires_grad_(False)
    write_package(torch.jit.script(net), out, "monai_style", ["FLAIR", "T1"], 16, {"bottleneck": ["bottom"]})
    saved, PATCH = PATCH, 16
    x = torch.randn(1, 2, 28, 24, 20)
    with torch.no_grad():
        mask = (blended_logits(net, x).argmax(1)[0] == 1).float()
    g, _ = gradient(net, x, mask)
    integral = torch.zeros_like(x)
    for i in range(4):
        integral += gradient(net, (i + 0.5) / 4 * x, mask)[0] / 4
    PATCH = saved
    refs.update({"monai_input": x, "monai_mask": mask, "monai_saliency": g, "monai_input_x_gradient": x * g,
                 "monai_integrated_gradients": x * integral})
    x16 = x[:, :, 4:20, 4:20, 2:18].contiguous()
    refs["monai_cam_input"] = x16
    refs["monai_gradcam_bottom"], refs["monai_cam_mask"] = grad_cam(net, x16, ["bottom"], False)


def main():
    model = torch.jit.load(sys.argv[1]).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    torch.manual_seed(1)
    x = torch.randn(1, 2, 60, 52, 50)
    x[:, 0, 20:30, 20:30, 15:25] += 3.0  # a lesion-like blob: bright in channel 0, dark in 1
    x[:, 1, 20:30, 20:30, 15:25] -= 3.0
    with torch.no_grad():
        mask = (blended_logits(model, x).argmax(1)[0] == 1).float()
    saliency, score = gradient(model, x, mask)
    steps = 4
    integral = torch.zeros_like(x)
    for i in range(steps):
        alpha = (i + 0.5) / steps
        integral += gradient(model, alpha * x, mask)[0] / steps
    refs = {"input": x, "mask": mask, "saliency": saliency, "input_x_gradient": x * saliency,
            "integrated_gradients": x * integral, "score": torch.tensor(score)}
    # CAM on one 48^3 patch (the whole volume), for a single layer and a layer set.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "resources", "demo"))
    from demo_unet import DemoUNet
    eager = DemoUNet()
    eager.load_state_dict(model.state_dict())
    eager.eval()
    x48 = x[:, :, 6:54, 2:50, 1:49].contiguous()
    refs["cam_input"] = x48
    refs["gradcam_dec2"], refs["cam_mask"] = grad_cam(eager, x48, ["dec2"], False)
    refs["gradcampp_dec2"], _ = grad_cam(eager, x48, ["dec2"], True)
    refs["gradcam_enc2_dec1"], _ = grad_cam(eager, x48, ["enc2", "dec1"], False)
    refs["kwc_dec1"] = kwc(eager, x48, ["dec1"])
    refs["kwc_enc2_dec1"] = kwc(eager, x48, ["enc2", "dec1"])
    refs["occlusion_block30"] = occlusion(model, x, mask, 30)
    refs["modality_shapley"], refs["modality_scores"] = modality_shapley(model, x, mask)
    refs["deeplift"], refs["deeplift_delta"] = deeplift(eager, x, mask)
    refs["deeplift_delta"] = torch.tensor(refs["deeplift_delta"])
    tiny_kwc_model(sys.argv[2])
    monai_style_references(sys.argv[2], refs)
    linear_model(sys.argv[2])
    save_tensors(refs, sys.argv[2] + "/attribution_refs.pt")
    print("mask voxels", int(mask.sum()), "score", score)


if __name__ == "__main__":
    main()
