#pragma once
// Which layer a CAM method explains when nobody named one: the last block before the output head,
// the layer pytorch-grad-cam's documentation recommends for segmentation networks (the deepest
// features still at the decoder's resolution). Read from the module's structure alone.

#include <torch/script.h>

#include <string>

namespace voxplain {

/// The layer chosen and how, for the user.
struct LayerChoice {
  std::string layer;   ///< dotted submodule path ("decoder", "decoder.0"); empty when none
  std::string reason;  ///< "the last block before the output convolution head" or why none
};

/// The output head is the last convolution (Conv*, ConvTranspose*) registered in the module tree;
/// the layer is the last submodule before it, at the deepest level of the tree that holds the head
/// beside other blocks (a ModuleList is entered, as it is never called itself). Registration order
/// stands for call order, as in the networks of MONAI, nnU-Net and most others; the reason names
/// the head so that a user can check it.
LayerChoice lastBlockBeforeHead(const torch::jit::Module& module);

}  // namespace voxplain
