#pragma once
// Per-modality slice panes side by side: one column per modality, rows axial / coronal /
// sagittal, all linked through one SliceViewModel (shared crosshair, zoom, centre, convention).
// The widget computes nothing: it mirrors the model's state into its views.

#include <QWidget>
#include <array>
#include <vector>

namespace voxplain::render {
class SliceView;
}

namespace voxplain::ui {

class SliceViewModel;

class SlicePanel : public QWidget {
  Q_OBJECT
 public:
  SlicePanel(SliceViewModel* model, QWidget* parent = nullptr);
  /// Views in (modality, orientation) order: index = modality * 3 + orientation.
  const std::vector<render::SliceView*>& views() const { return views_; }
  /// "axial", "coronal", "sagittal" for orientation 0, 1, 2 (pane titles and names).
  static const char* orientationName(int orientation);

 Q_SIGNALS:
  /// A view asked to explain a point (Ctrl+click) or a box (Shift+drag), LPS mm; the box's corners
  /// lie on the view's slice, its depth along the view's normal axis (0, 1 or 2) is for the caller.
  void pointTargetRequested(const std::array<double, 3>& lps);
  void boxTargetRequested(const std::array<double, 3>& fromLps, const std::array<double, 3>& toLps, int normalAxis);

 private:
  void rebuild();
  void syncLayers();
  void syncCursor();
  void syncView();
  void syncWindowLevel(int modality);

  SliceViewModel* model_;
  std::vector<render::SliceView*> views_;
};

}  // namespace voxplain::ui
