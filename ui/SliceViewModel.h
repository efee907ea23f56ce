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

class SliceViewModel : public QObject {
  Q_OBJECT
 public:
  using Point = std::array<double, 3>;
  explicit SliceViewModel(QObject* parent = nullptr);

  /// New study: display copies, window/level from the 1st-99th percentile, cursor at the centre.
  void setStudy(std::shared_ptr<const Study> study, std::shared_ptr<const DisplayStudy> display);
  void setStudy(std::shared_ptr<const Study> study);
  /// Panes of prepared volumes with these titles (e.g. two runs side by side, DisplayLayers.h);
  /// with `keepView` the cursor, zoom, centre and labels stay. Maps are cleared.
  void setPanes(const DisplayStudy& display, const QStringList& names, bool keepView);
  /// The same study with its modalities renamed (model inputs assigned): only the pane titles change.
  void setRenamedStudy(std::shared_ptr<const Study> study);
  /// Labels on the study grid; colours per label value (e.g. from a model manifest).
  void setLabels(std::shared_ptr<const DisplayLabels> labels, const std::vector<render::LabelColor>& colors);
  /// One map per modality (study order, on the study grid); the range is shared by all modalities
  /// (by default the 99.5th percentile of |A| over all of them) so that colours compare across panes.
  void setHeatmaps(std::shared_ptr<const DisplayHeatmaps> maps, const QString& units);

  int modalityCount() const { return int(bases_.size()); }
  QString modalityName(int m) const;
  vtkSmartPointer<vtkImageData> base(int m) const { return bases_[std::size_t(m)]; }
  vtkSmartPointer<vtkImageData> labels(int normalAxis) const;  ///< filled or outlined for that slice normal
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
  bool heatmapsShown() const { return heatmapsShown_; }

 public Q_SLOTS:
  void setCursor(const std::array<double, 3>& lps);
  void setCentre(const std::array<double, 3>& lps);
  void setZoom(double zoom);
  void setRadiological(bool radiological);
  void setWindowLevel(int modality, double window, double level);
  void setLabelOpacity(double opacity);
  void setLabelOutline(bool outline);
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
