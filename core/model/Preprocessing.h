#pragma once
// Pre- and post-processing per manifest: the model grid (spacing / orientation), per-modality
// normalisation, and tensors in the model's layout.

#include <torch/torch.h>

#include <string>
#include <vector>

#include "model/ModelManifest.h"
#include "task/TaskControl.h"
#include "volume/Study.h"

namespace voxplain {

/// In place; see Normalization for the formulas (statistics of this volume alone, whatever
/// n.joint says). Constant images map to 0 under z-scores (no division by zero).
void normalize(Volume& volume, const Normalization& n);

/// The grid the model runs on: the study's reference grid, or, when the manifest states a spacing
/// and/or orientation, a grid covering the same physical box with that spacing and the axis-aligned
/// direction of the orientation code (e.g. "RAS": i towards patient Right... in LPS terms).
Geometry modelGrid(const Geometry& study, const ModelManifest& manifest);

/// The grid the model runs on for `study`: modelGrid of the study's reference grid; with
/// manifest.cropToNonzero, modelGrid of the study's non-zero box (nnU-Net crops, then resamples).
/// With manifest.windowScheme Nnunet the resampled grid follows nnU-Net's resize: size
/// round(n * spacing / target) per axis, voxel centres where skimage's resize puts them (so the
/// spacing is the box's extent over the new size), and modelInputTensor normalises each input
/// on the (cropped) source grid before resampling it, as nnU-Net's DefaultPreprocessor does.
Geometry runGrid(const Study& study, const ModelManifest& manifest);

/// The part of the study's reference grid (where every modality lies) the model runs on: all of it,
/// or with manifest.cropToNonzero the bounding box of the voxels where any of the model's inputs
/// (not normalised) is non-zero — nnU-Net's crop_to_nonzero. All of it when every voxel is zero.
Geometry nonzeroBox(const Study& study, const ModelManifest& manifest);

/// Study modalities in manifest input order: matched by name (case-insensitive) when every input
/// name is found, else by position when the counts agree. Throws InputError naming what is missing.
std::vector<const Modality*> orderedInputs(const Study& study, const ModelManifest& manifest);

/// [1, C, X, Y, Z] float32 CPU tensor of the normalised inputs on `grid` (resampled when needed,
/// then normalised; inputs with joint z-scores share their statistics).
torch::Tensor modelInputTensor(const Study& study, const ModelManifest& manifest, const Geometry& grid,
                               const TaskControl& control = {});

/// View of a [X, Y, Z] float32 tensor as a Volume on `grid` (copies).
Volume volumeFromTensor(const torch::Tensor& xyz, const Geometry& grid);

/// Tensor [X, Y, Z] (float32, CPU) of a volume (copies).
torch::Tensor tensorFromVolume(const Volume& volume);

}  // namespace voxplain
