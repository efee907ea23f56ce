#pragma once
// The presenter of the slice views (ITK-SNAP's GUI/Model split): it owns the display layers
// (LPS-aligned copies of the study's modalities, the label map and one attribution map per
// modality) and the state the views share - cursor, zoom, centre, convention, window/level per
// modality, overlay styles. Views only ask it and send it requests; every linked view then
// receives the same state, so crosshair and zoom stay in step across orientations and modalities.
// The layers arrive prepared (DisplayLayers.h: oriented, outlined, percentiles) by the workers;
// setStudy(study) alone prepares on the calling thread (tests).

#include <QObject>
#include <QString>
#include <QStringList>
#include <array>
#include <map>
#include <memory>
#include <vector>

#include <vtkSmartPointer.h>

#include "ColorMaps.h"
#include "DisplayLayers.h"
#include "volume/Study.h"

class vtkImageData;

namespace voxplain::ui {

/// The study's modality names, in order (pane titles).
QStringList modalityNames(const Study& study);

/// How one class of the label map is drawn in the slice panes.
enum class LabelStyle { Filled, Outline, Hidden };

class SliceViewModel : public QObject {
  Q_OBJECT
 public:
  using Point = std::array<double, 3>;
  explicit SliceViewModel(QObject* parent = nullptr);

  /// New study: display copies, window/level from the 1st-99th percentile, cursor at the centre.
  void setStudy(const std::shared_ptr<const Study>& study, const std::shared_ptr<const DisplayStudy>& display);
  void setStudy(const std::shared_ptr<const Study>& study);
  /// Panes of prepared volumes with these titles (e.g. two runs side by side, DisplayLayers.h);
  /// with `keepView` the cursor, zoom, centre and labels stay. Maps are cleared.
  void setPanes(const DisplayStudy& display, const QStringList& names, bool keepView);
  /// The same study with its modalities renamed (model inputs assigned): only the pane titles change.
  void setRenamedStudy(const std::shared_ptr<const Study>& study);
  /// Labels on the study grid; colours per label value (e.g. from a model manifest).
  void setLabels(const std::shared_ptr<const DisplayLabels>& labels, const std::vector<render::LabelColor>& colors);
  /// One map per modality (study order, on the study grid); the range is shared by all modalities
  /// (by default the 99.5th percentile of |A| over all of them) so that colours compare across panes.
  void setHeatmaps(std::shared_ptr<const DisplayHeatmaps> maps, const QString& units);

  int modalityCount() const { return int(bases_.size()); }
  QString modalityName(int m) const;
  vtkSmartPointer<vtkImageData> base(int m) const { return bases_[std::size_t(m)]; }
  /// The label layer for that slice normal: each class filled, outlined or left out as its style
  /// says (every visible class outlined when labelOutline()); null without labels.
  vtkSmartPointer<vtkImageData> labels(int normalAxis) const;
  /// A class's style (Filled unless set).
  LabelStyle labelStyle(int value) const;
  vtkSmartPointer<vtkImageData> heatmap(int m) const;
  const std::vector<render::LabelColor>& labelColors() const { return labelColors_; }

  Point cursor() const { return cursor_; }
  Point centre() const { return centre_; }
  double zoom() const { return zoom_; }
  bool radiological() const { return radiological_; }
  std::array<double, 2> windowLevel(int m) const { return windowLevel_[std::size_t(m)]; }
  double labelOpacity() const { return labelOpacity_; }
  bool labelOutline() const { return labelOutline_; }
  const render::HeatmapStyle& heatmapStyle() const { return heatmapStyle_; }
  /// The style pane `m` draws its map with: heatmapStyle(), with the colour map of that pane's run
  /// when panes show different runs (setPaneSigned: blue-white-red for a signed run, the chosen
  /// magnitude map, else inferno, for a non-negative one such as Grad-CAM).
  render::HeatmapStyle heatmapStyle(int m) const;
  /// Per pane, whether its run's map is signed (two runs side by side); cleared by setPanes.
  void setPaneSigned(std::vector<bool> signedPerPane);
  bool heatmapsShown() const { return heatmapsShown_; }

 public Q_SLOTS:
  void setCursor(const std::array<double, 3>& lps);
  void setCentre(const std::array<double, 3>& lps);
  void setZoom(double zoom);
  void setRadiological(bool radiological);
  void setWindowLevel(int modality, double window, double level);
  void setLabelOpacity(double opacity);
  void setLabelOutline(bool outline);
  /// Draws class `value` filled, outlined or not at all (the label legend's choice).
  void setLabelStyle(int value, voxplain::ui::LabelStyle style);
  void setHeatmapColormap(const QString& name);
  void setHeatmapThreshold(double fraction);
  void setHeatmapOpacity(double opacity);
  void setHeatmapsShown(bool shown);
  /// Colour range of the maps: the given percentile of |A| over all modalities (100 = maximum).
  void setHeatmapRangePercentile(double percentile);
  /// Window/level preset for every modality: "auto" (1st-99th percentile of each), or CT presets
  /// in HU: "ct-soft-tissue" (400/40), "ct-bone" (2000/500), "ct-lung" (1500/-600), "ct-brain" (80/40).
  void applyWindowPreset(const QString& preset);
  void resetView();

 Q_SIGNALS:
  void layersChanged();
  void cursorChanged();
  void viewChanged();  ///< zoom, centre or convention
  void windowLevelChanged(int modality);

 private:
  std::vector<vtkSmartPointer<vtkImageData>> bases_, heatmaps_;
  std::vector<QString> names_;
  std::array<vtkSmartPointer<vtkImageData>, 3> outlines_;
  vtkSmartPointer<vtkImageData> labelsFilled_;
  std::shared_ptr<const DisplayLabels> labelLayers_;  ///< for classes drawn in different styles
  std::map<int, LabelStyle> labelStyles_;
  std::vector<bool> paneSigned_;                                ///< empty: every pane uses heatmapStyle_
  mutable std::array<vtkSmartPointer<vtkImageData>, 3> mixed_;  ///< composed per slice normal, cached
  std::vector<render::LabelColor> labelColors_;
  std::vector<std::array<double, 2>> windowLevel_;
  Point cursor_{0, 0, 0}, centre_{0, 0, 0};
  double zoom_ = 1.0;
  bool radiological_ = true;
  double labelOpacity_ = 0.5;
  bool labelOutline_ = false;
  render::HeatmapStyle heatmapStyle_;
  bool heatmapsShown_ = true;
  double rangePercentile_ = 99.5;
  std::shared_ptr<const DisplayHeatmaps> heatmapLayers_;  // for the colour range
  std::vector<std::array<double, 2>> autoWindowLevel_;
  void updateHeatmapRange();
};

}  // namespace voxplain::ui
