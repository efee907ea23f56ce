#pragma once
// SliceView: one axial, coronal or sagittal slice of a study in patient orientation, with a label
// overlay (filled or outlined), an attribution overlay with a colour bar, a crosshair and the
// L/R/A/P/S/I labels at its edges. Images must be LPS-aligned (volume/Reorient.h: world = LPS mm).
//
// Screen conventions (camera set from the patient axes, never from voxel order):
//  - axial:    radiological = seen from the feet, patient Left on screen right, Anterior up;
//              neurological = seen from above, patient Left on screen left;
//  - coronal:  radiological = facing the patient, Left on screen right, Superior up; neurological mirrored;
//  - sagittal: seen from the patient's left, Anterior on screen left, Superior up (both conventions).
// The view does not own state shared between views: it emits requests (cursor, window/level, zoom,
// pan) and a presenter sets the result on every linked view.
// Mouse: left click/drag = cursor, wheel = slice, Ctrl+wheel = zoom, right drag = window/level,
// middle drag = pan. Keys: Up/Down, PageUp/PageDown = slice.

#include <vtkSmartPointer.h>

#include <QFontMetrics>
#include <QRect>
#include <QStringList>
#include <array>

#include "ColorMaps.h"
#include "VtkView.h"

class vtkImageData;
class vtkImageSlice;
class vtkImageSliceMapper;
class vtkImageStack;
class vtkActor;
class vtkLineSource;
class vtkTextActor;
class vtkScalarBarActor;

namespace voxplain::render {

enum class SliceOrientation { Axial, Coronal, Sagittal };

class SliceView : public VtkView {
  Q_OBJECT
 public:
  using Point = std::array<double, 3>;  ///< LPS mm

  explicit SliceView(SliceOrientation orientation, QWidget* parent = nullptr);
  ~SliceView() override;

  SliceOrientation orientation() const { return orientation_; }
  void setRadiological(bool radiological);
  bool radiological() const { return radiological_; }

  /// The grey-level image (float, LPS-aligned) with its window/level.
  void setBase(const vtkSmartPointer<vtkImageData>& image, double window, double level);
  /// Label overlay (unsigned short); outline = contours only. Null clears.
  void setLabels(const vtkSmartPointer<vtkImageData>& labels, const std::vector<LabelColor>& colors, double opacity);
  /// Attribution overlay (float) with its colour bar. Null clears.
  void setHeatmap(const vtkSmartPointer<vtkImageData>& heatmap, const HeatmapStyle& style);
  void setTitle(const QString& title);

  void setCursor(const Point& lps);
  Point cursor() const { return cursor_; }
  void setWindowLevel(double window, double level);
  /// 1 = the whole image fits; 2 = twice as large.
  void setZoom(double zoom);
  /// In-plane centre of the view (LPS mm); the component along the normal is ignored.
  void setCentre(const Point& lps);
  void resetView();

  /// Labels at the left, right, top and bottom edges, e.g. {"R", "L", "A", "P"}.
  QStringList edgeLabels() const;
  /// Where the colour bar's labels are drawn, in widget pixels (right of the bar; empty when no
  /// map is shown or before the first render). For the legibility tests.
  QRect colorBarLabelsRect() const;
  /// The slice index of the base image shown (along its normal axis).
  int sliceIndex() const;

 Q_SIGNALS:
  void cursorRequested(const std::array<double, 3>& lps);
  void windowLevelRequested(double window, double level);
  void zoomRequested(double zoom);
  void centreRequested(const std::array<double, 3>& lps);
  /// Ctrl+left click: explain this point (LPS mm).
  void pointTargetRequested(const std::array<double, 3>& lps);
  /// Shift+left drag: explain this box; the corners are on the shown slice (LPS mm), the depth is
  /// the caller's choice.
  void boxTargetRequested(const std::array<double, 3>& fromLps, const std::array<double, 3>& toLps);

 protected:
  void mousePressEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;
  void resizeGL(int w, int h) override;

 private:
  int normalAxis() const;
  void updateCamera();
  /// Places the colour bar, the right-hand letter beside it and the caption (two lines or shortened
  /// where it would reach the lower letter), for the view's size.
  void layOutAnnotations();
  /// `text` in at most `maxLines` lines, broken between words: the first line fits `firstRoom`
  /// pixels (it sits beside the upper letter), the others `room`; a line still too long (one long
  /// word, or the last line) is shortened with "...".
  static QStringList wrapWords(const QString& text, const QFontMetrics& metrics, int firstRoom, int room, int maxLines);
  /// Text pixels per 96-dpi pixel (the screen's logical DPI / 96, at least 1).
  double textScale() const;
  void updateSlices();
  void updateCrosshair();
  Point worldAt(const QPointF& widgetPos) const;
  void stepSlice(int steps);

  SliceOrientation orientation_;
  bool radiological_ = true;
  vtkSmartPointer<vtkImageStack> stack_;
  vtkSmartPointer<vtkImageSlice> base_, labels_, heatmap_;
  vtkSmartPointer<vtkImageSliceMapper> baseMapper_, labelMapper_, heatmapMapper_;
  vtkSmartPointer<vtkLineSource> lineA_, lineB_;
  vtkSmartPointer<vtkActor> crossA_, crossB_;
  std::array<vtkSmartPointer<vtkTextActor>, 4> edge_;
  vtkSmartPointer<vtkTextActor> title_, units_;
  QString titleText_, unitsText_;
  QString rangeText_;  ///< "+-0.55": the colour range, said in the units line when the bar is hidden
  bool hasHeatmap_ = false;
  /// Text sizes at 96 dpi: captions and colour-bar text 12 px (9 pt), orientation letters 18 px.
  static constexpr double kTextPixels = 12.0, kLetterPixels = 18.0, kColorBarPixels = 84.0;
  static constexpr double kNarrowestBarPane = 160.0;  ///< narrower panes (96-dpi px) show no colour bar
  vtkSmartPointer<vtkScalarBarActor> colorBar_;
  Point cursor_{0, 0, 0}, centre_{0, 0, 0};
  double zoom_ = 1.0, window_ = 1.0, level_ = 0.5;
  bool hasBase_ = false;
  Qt::MouseButton dragging_ = Qt::NoButton;
  bool boxDrag_ = false;  ///< a Shift+left drag draws a target box instead of moving the cursor
  QPointF dragStart_;
  double dragWindow_ = 1.0, dragLevel_ = 0.5;
  Point dragCentre_{0, 0, 0};
};

}  // namespace voxplain::render
