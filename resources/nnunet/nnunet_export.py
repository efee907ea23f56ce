"""Turns one configuration of a trained nnU-Net v2 results folder into a TorchScript file that
Voxplain's engine runs like any model (voxplain's core/model/NnunetFolder.h calls this once per
checkpoint set and caches the result by the checkpoints' SHA-256).

    python3 nnunet_export.py CONFIG.json OUT.pt

CONFIG.json (written by Voxplain): {"plans": path, "configuration": name, "checkpoints": [paths, one
per fold, in fold order], "channels": input channels, "classes": output channels,
"transpose_forward": [...], "mirror_axes": [...] or null (the checkpoint's)}.

The network is built from the plans' architecture (network_class_name + arch_kwargs) with module
names that load the checkpoint's "network_weights" strictly: PlainConvUNet and ResidualEncoderUNet
(nnU-Net's default and ResEnc presets), as dynamic_network_architectures lays them out. The
TorchScript module takes [N, C, Z, Y, X] (SimpleITK's axis order), applies transpose_forward, and
returns the logits nnU-Net's predictor averages for one window: for each fold the mean over the
network and its mirrored copies (the subsets of mirror_axes, as nnUNetPredictor), then the mean over
the folds (logits, not probabilities, as nnU-Net ensembles). `use_mirroring` is an attribute the
engine may switch off. Exits 2 with one line on stderr for anything it cannot export.
"""
import itertools
import json
import sys
from typing import List

import torch
from torch import nn


class ExportError(Exception):
    pass


# --- building blocks, named as dynamic_network_architectures names them (state-dict keys) --------


class ConvNormNonlin(nn.Module):
    """conv -> (dropout) -> norm -> nonlin; the same modules are also held in `all_modules`, which is
    what runs (the checkpoint holds both names)."""

    def __init__(self, spec, cin, cout, kernel, stride, bias, with_nonlin=True):
        super().__init__()
        kernel = expand(kernel)
        self.conv = nn.Conv3d(cin, cout, kernel, expand(stride), padding=[(k - 1) // 2 for k in kernel], bias=bias)
        ops = [self.conv]
        if spec.norm is not None:
            self.norm = spec.norm(cout, **spec.norm_kwargs)
            ops.append(self.norm)
        if with_nonlin and spec.nonlin is not None:
            self.nonlin = spec.nonlin(**spec.nonlin_kwargs)
            ops.append(self.nonlin)
        if spec.nonlin_first and len(ops) == 3:
            ops[1], ops[2] = ops[2], ops[1]
        self.all_modules = nn.Sequential(*ops)

    def forward(self, x):
        return self.all_modules(x)


class StackedConvs(nn.Module):
    def __init__(self, spec, n, cin, cout, kernel, stride, bias):
        super().__init__()
        self.convs = nn.Sequential(*[ConvNormNonlin(spec, cin if i == 0 else cout, cout, kernel,
                                                    stride if i == 0 else 1, bias) for i in range(n)])

    def forward(self, x):
        return self.convs(x)


class ResidualBlock(nn.Module):
    """ResNet-D basic block: two convs, a skip with average pooling and/or a 1x1x1 projection."""

    def __init__(self, spec, cin, cout, kernel, stride, bias):
        super().__init__()
        self.conv1 = ConvNormNonlin(spec, cin, cout, kernel, stride, bias)
        self.conv2 = ConvNormNonlin(spec, cout, cout, kernel, 1, bias, with_nonlin=False)
        self.nonlin2 = spec.nonlin(**spec.nonlin_kwargs) if spec.nonlin is not None else nn.Identity()
        strided = any(s != 1 for s in expand(stride))
        if strided or cin != cout:
            ops = []
            if strided:
                ops.append(nn.AvgPool3d(expand(stride), expand(stride)))
            if cin != cout:
                ops.append(ConvNormNonlin(spec, cin, cout, 1, 1, False, with_nonlin=False))
            self.skip = nn.Sequential(*ops)
        else:
            self.skip = nn.Identity()

    def forward(self, x):
        return self.nonlin2(self.conv2(self.conv1(x)) + self.skip(x))


class ResidualStage(nn.Module):
    def __init__(self, spec, n, cin, cout, kernel, stride, bias):
        super().__init__()
        self.blocks = nn.Sequential(*[ResidualBlock(spec, cin if i == 0 else cout, cout, kernel,
                                                    stride if i == 0 else 1, bias) for i in range(n)])

    def forward(self, x):
        return self.blocks(x)


class Encoder(nn.Module):
    def __init__(self, spec, residual):
        super().__init__()
        k, cin, stem = spec.kwargs, spec.kwargs["input_channels"], None
        features, strides, kernels = spec.features, spec.strides, spec.kernels
        bias = bool(k.get("conv_bias", False))
        if residual:
            stem_channels = k.get("stem_channels") or features[0]
            self.stem = StackedConvs(spec, 1, cin, stem_channels, kernels[0], 1, bias)
            cin = stem_channels
            blocks = listed(k["n_blocks_per_stage"], spec.stages)
            stages = [ResidualStage(spec, blocks[s], cin if s == 0 else features[s - 1], features[s], kernels[s],
                                    strides[s], bias) for s in range(spec.stages)]
        else:
            self.stem = stem
            convs = listed(k["n_conv_per_stage"], spec.stages)
            stages = [nn.Sequential(StackedConvs(spec, convs[s], cin if s == 0 else features[s - 1], features[s],
                                                 kernels[s], strides[s], bias)) for s in range(spec.stages)]
        self.stages = nn.Sequential(*stages)
        self.has_stem = residual

    def forward(self, x) -> List[torch.Tensor]:
        if self.stem is not None:
            x = self.stem(x)
        skips = []
        for stage in self.stages:
            x = stage(x)
            skips.append(x)
        return skips


class Decoder(nn.Module):
    def __init__(self, spec, encoder):
        super().__init__()
        self.encoder = encoder  # nnU-Net's decoder holds the encoder too: its keys are in the checkpoint
        features, strides, kernels = spec.features, spec.strides, spec.kernels
        bias = bool(spec.kwargs.get("conv_bias", False))
        convs = listed(spec.kwargs["n_conv_per_stage_decoder"], spec.stages - 1)
        stages, transpconvs, seg_layers = [], [], []
        for s in range(1, spec.stages):
            below, skip = features[-s], features[-(s + 1)]
            transpconvs.append(nn.ConvTranspose3d(below, skip, expand(strides[-s]), expand(strides[-s]), bias=bias))
            stages.append(StackedConvs(spec, convs[s - 1], 2 * skip, skip, kernels[-(s + 1)], 1, bias))
            seg_layers.append(nn.Conv3d(skip, spec.classes, 1, 1, 0, bias=True))
        self.stages = nn.ModuleList(stages)
        self.transpconvs = nn.ModuleList(transpconvs)
        self.seg_layers = nn.ModuleList(seg_layers)

    def forward(self, skips: List[torch.Tensor]):
        x = skips[-1]
        s = 0
        for up, stage in zip(self.transpconvs, self.stages):
            x = stage(torch.cat((up(x), skips[-(s + 2)]), 1))
            s += 1
        return self.head(x)


class UNet(nn.Module):
    def __init__(self, spec, residual):
        super().__init__()
        self.encoder = Encoder(spec, residual)
        self.decoder = Decoder(spec, self.encoder)

    def forward(self, x):
        return self.decoder(self.encoder(x))


class Ensemble(nn.Module):
    use_mirroring: bool

    def __init__(self, folds, mirror_axes, transpose_forward):
        super().__init__()
        self.folds = nn.ModuleList(folds)
        axes = [a + 2 for a in mirror_axes]
        self.mirrors: List[List[int]] = [list(c) for n in range(1, len(axes) + 1) for c in itertools.combinations(axes, n)]
        self.use_mirroring = True
        self.forward_order: List[int] = [0, 1] + [t + 2 for t in transpose_forward]
        self.backward_order: List[int] = [0, 1] + [transpose_forward.index(d) + 2 for d in range(3)]

    def forward(self, x):
        x = x.permute(self.forward_order)
        total = torch.zeros(0)
        count = 0
        for net in self.folds:
            y = net(x)
            if self.use_mirroring:
                for axes in self.mirrors:
                    y = y + torch.flip(net(torch.flip(x, axes)), axes)
                y = y / float(len(self.mirrors) + 1)
            total = y if count == 0 else total + y
            count += 1
        return (total / float(count)).permute(self.backward_order)


# --- plans ----------------------------------------------------------------------------------------


def expand(v):
    return list(v) if isinstance(v, (list, tuple)) else [v] * 3


def listed(v, n):
    return list(v) if isinstance(v, (list, tuple)) else [v] * n


CLASSES = {
    "torch.nn.modules.conv.Conv3d": "conv",
    "torch.nn.modules.instancenorm.InstanceNorm3d": nn.InstanceNorm3d,
    "torch.nn.modules.batchnorm.BatchNorm3d": nn.BatchNorm3d,
    "torch.nn.modules.activation.LeakyReLU": nn.LeakyReLU,
    "torch.nn.modules.activation.ReLU": nn.ReLU,
    "torch.nn.modules.activation.GELU": nn.GELU,
}


class Spec:
    def __init__(self, arch, channels, classes):
        name = arch["network_class_name"].split(".")[-1]
        if name not in ("PlainConvUNet", "ResidualEncoderUNet"):
            raise ExportError(f"network class {arch['network_class_name']} is not supported (PlainConvUNet and "
                              "ResidualEncoderUNet are)")
        self.residual = name == "ResidualEncoderUNet"
        k = dict(arch["arch_kwargs"])
        k["input_channels"] = channels
        self.kwargs = k
        for key in ("conv_op", "norm_op", "nonlin", "dropout_op"):
            value = k.get(key)
            if value is not None and value not in CLASSES:
                raise ExportError(f"arch_kwargs.{key} {value} is not supported")
        if k.get("conv_op") != "torch.nn.modules.conv.Conv3d":
            raise ExportError(f"only 3D configurations are supported (conv_op {k.get('conv_op')})")
        if k.get("dropout_op") is not None:
            raise ExportError("dropout_op is not supported")
        if self.residual and str(k.get("block", "BasicBlockD")).split(".")[-1] != "BasicBlockD":
            raise ExportError(f"residual block {k.get('block')} is not supported (BasicBlockD is)")
        self.norm = CLASSES[k["norm_op"]] if k.get("norm_op") else None
        self.norm_kwargs = dict(k.get("norm_op_kwargs") or {})
        self.nonlin = CLASSES[k["nonlin"]] if k.get("nonlin") else None
        self.nonlin_kwargs = {key: v for key, v in (k.get("nonlin_kwargs") or {}).items() if key != "inplace"}
        self.nonlin_first = bool(k.get("nonlin_first", False))
        self.stages = int(k["n_stages"])
        self.features = listed(k["features_per_stage"], self.stages)
        self.strides = listed(k["strides"], self.stages)
        self.kernels = listed(k["kernel_sizes"], self.stages)
        self.classes = classes


def resolved_configuration(plans, name, seen=()):
    """A configuration with what it inherits_from filled in (nnU-Net's ConfigurationManager)."""
    if name in seen or name not in plans["configurations"]:
        raise ExportError(f"plans: configuration {name} is missing or inherits from itself")
    configuration = plans["configurations"][name]
    parent = configuration.get("inherits_from")
    if not parent:
        return configuration
    return {**resolved_configuration(plans, parent, seen + (name,)), **configuration}


def network(spec):
    net = UNet(spec, spec.residual)
    return net


def load_weights(net, checkpoint):
    try:
        saved = torch.load(checkpoint, map_location="cpu", weights_only=False)
    except TypeError:  # torch < 2.0 has no weights_only
        saved = torch.load(checkpoint, map_location="cpu")
    except Exception as e:  # noqa: BLE001 - any unreadable file is one message
        raise ExportError(f"{checkpoint}: cannot be read as a PyTorch checkpoint ({e})")
    if not isinstance(saved, dict) or "network_weights" not in saved:
        raise ExportError(f"{checkpoint}: no network_weights (not an nnU-Net v2 checkpoint)")
    weights = {k[len("_orig_mod."):] if k.startswith("_orig_mod.") else k: v for k, v in saved["network_weights"].items()}
    try:
        net.load_state_dict(weights, strict=True)
    except RuntimeError as e:
        first = str(e).splitlines()
        raise ExportError(f"{checkpoint}: the weights do not fit the plans' network: {' '.join(first[:3])[:400]}")
    return saved


def main():
    config_file, out = sys.argv[1:3]
    config = json.load(open(config_file))
    plans = json.load(open(config["plans"]))
    configuration = resolved_configuration(plans, config["configuration"])
    if "architecture" not in configuration:
        raise ExportError(f"configuration {config['configuration']} has no architecture (nnU-Net < 2.3 plans "
                          "are not supported)")
    spec = Spec(configuration["architecture"], int(config["channels"]), int(config["classes"]))
    folds = []
    mirror_axes = config.get("mirror_axes")
    for checkpoint in config["checkpoints"]:
        net = network(spec)
        saved = load_weights(net, checkpoint)
        if mirror_axes is None:
            mirror_axes = list(saved.get("inference_allowed_mirroring_axes") or [])
        net.decoder.head = net.decoder.seg_layers[-1]  # after the strict load: an alias, not a new key
        net.eval()
        folds.append(net)
    model = Ensemble(folds, [int(a) for a in mirror_axes], [int(t) for t in config["transpose_forward"]])
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    scripted = torch.jit.script(model)
    scripted.save(out)
    print(json.dumps({"mirror_axes": mirror_axes, "folds": len(folds)}))


if __name__ == "__main__":
    try:
        main()
    except ExportError as e:
        print(e, file=sys.stderr)
        sys.exit(2)
    except Exception as e:  # noqa: BLE001 - one line for the user, not a traceback
        print(f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", file=sys.stderr)
        sys.exit(3)
