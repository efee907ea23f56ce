#include "SliceView.h"

#include <QFont>
#include <QFontMetrics>

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkImageData.h>
#include <vtkImageProperty.h>
#include <vtkImageSlice.h>
#include <vtkImageSliceMapper.h>
#include <vtkImageStack.h>
#include <vtkLineSource.h>
#include <vtkLookupTable.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <cmath>

namespace voxplain::render {
namespace {

using Point = SliceView::Point;

Point crossProduct(const Point& a, const Point& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

// The patient-direction letter of a (unit, axis-aligned) LPS vector.
QString letterOf(const Point& v) {
  int axis = 0;
  for (int a = 1; a < 3; ++a)
    if (std::abs(v[std::size_t(a)]) > std::abs(v[std::size_t(axis)])) axis = a;
  static const char* positive[] = {"L", "P", "S"};
  static const char* negative[] = {"R", "A", "I"};
  return v[std::size_t(axis)] > 0 ? positive[axis] : negative[axis];
}

vtkSmartPointer<vtkTextActor> makeText(int size) {
  auto t = vtkSmartPointer<vtkTextActor>::New();
  t->GetTextProperty()->SetFontSize(size);
  t->GetTextProperty()->SetColor(1.0, 0.85, 0.3);
  t->GetTextProperty()->SetBold(true);
  t->GetTextProperty()->SetShadow(true);
  t->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  return t;
}

int sliceOf(vtkImageData* image, int axis, double position) {
  int extent[6];
  image->GetExtent(extent);
  const double k = (position - image->GetOrigin()[axis]) / image->GetSpacing()[axis];
  return std::clamp(int(std::lround(k)), extent[2 * axis], extent[2 * axis + 1]);
}

}  // namespace

SliceView::SliceView(SliceOrientation orientation, QWidget* parent) : VtkView(parent), orientation_(orientation) {
  setFocusPolicy(Qt::StrongFocus);
  stack_ = vtkSmartPointer<vtkImageStack>::New();
  auto makeLayer = [this](vtkSmartPointer<vtkImageSlice>& slice, vtkSmartPointer<vtkImageSliceMapper>& mapper,
                          int layer) {
    mapper = vtkSmartPointer<vtkImageSliceMapper>::New();
    mapper->SetOrientation(normalAxis());
    mapper->SliceAtFocalPointOff();
    mapper->SliceFacesCameraOff();
    slice = vtkSmartPointer<vtkImageSlice>::New();
    slice->SetMapper(mapper);
    slice->GetProperty()->SetLayerNumber(layer);
  };
  makeLayer(base_, baseMapper_, 0);
  makeLayer(labels_, labelMapper_, 1);
  makeLayer(heatmap_, heatmapMapper_, 2);
  base_->GetProperty()->SetInterpolationTypeToLinear();
  labels_->GetProperty()->SetInterpolationTypeToNearest();
  labels_->GetProperty()->UseLookupTableScalarRangeOn();
  heatmap_->GetProperty()->SetInterpolationTypeToLinear();
  heatmap_->GetProperty()->UseLookupTableScalarRangeOn();
  renderer()->AddViewProp(stack_);
  renderer()->GetActiveCamera()->ParallelProjectionOn();
  renderer()->SetBackground(0.0, 0.0, 0.0);

  for (auto* pair : {&lineA_, &lineB_}) *pair = vtkSmartPointer<vtkLineSource>::New();
  auto makeLine = [this](vtkLineSource* source) {
    auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
    mapper->SetInputConnection(source->GetOutputPort());
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->SetColor(0.3, 0.9, 1.0);
    actor->GetProperty()->SetOpacity(0.6);
    actor->GetProperty()->SetLineWidth(1.0);
    actor->GetProperty()->LightingOff();
    actor->SetVisibility(false);
    renderer()->AddActor(actor);
    return actor;
  };
  crossA_ = makeLine(lineA_);
  crossB_ = makeLine(lineB_);

  const double positions[4][2] = {{0.01, 0.5}, {0.99, 0.5}, {0.5, 0.98}, {0.5, 0.01}};
  for (std::size_t i = 0; i < 4; ++i) {
    edge_[i] = makeText(int(std::lround(kLetterPixels * textScale())));
    edge_[i]->SetPosition(positions[i][0], positions[i][1]);
    edge_[i]->GetTextProperty()->SetJustification(i == 0 ? VTK_TEXT_LEFT : i == 1 ? VTK_TEXT_RIGHT : VTK_TEXT_CENTERED);
    edge_[i]->GetTextProperty()->SetVerticalJustification(i == 2   ? VTK_TEXT_TOP
                                                          : i == 3 ? VTK_TEXT_BOTTOM
                                                                   : VTK_TEXT_CENTERED);
    renderer()->AddViewProp(edge_[i]);
  }
  units_ = makeText(int(std::lround(kTextPixels * textScale())));
  units_->GetTextProperty()->SetBold(false);
  units_->GetTextProperty()->SetVerticalJustification(VTK_TEXT_TOP);
  units_->SetPosition(0.01, 0.99);
  renderer()->AddViewProp(units_);
  title_ = makeText(int(std::lround(kTextPixels * textScale())));
  title_->GetTextProperty()->SetColor(0.9, 0.9, 0.9);
  title_->GetTextProperty()->SetVerticalJustification(VTK_TEXT_BOTTOM);
  title_->SetPosition(0.01, 0.01);
  renderer()->AddViewProp(title_);

  colorBar_ = vtkSmartPointer<vtkScalarBarActor>::New();
  colorBar_->SetNumberOfLabels(5);
  colorBar_->SetHeight(0.76);
  colorBar_->SetBarRatio(0.3);
  // Text at its own size (>= 9 pt at 96 dpi, scaled with the DPI), never shrunk to fit the bar.
  colorBar_->UnconstrainedFontSizeOn();
  colorBar_->SetMaximumWidthInPixels(int(std::lround(kColorBarPixels * textScale())));
  for (vtkTextProperty* text : {colorBar_->GetLabelTextProperty(), colorBar_->GetTitleTextProperty()}) {
    text->SetFontSize(int(std::lround(kTextPixels * textScale())));
    text->SetColor(1.0, 0.85, 0.3);
    text->SetShadow(true);
    text->SetItalic(false);
    text->SetBold(false);
  }
  colorBar_->SetVisibility(false);
  colorBar_->SetLabelFormat("%-#6.2g");
  renderer()->AddViewProp(colorBar_);
  updateCamera();
}

SliceView::~SliceView() = default;

int SliceView::normalAxis() const {
  switch (orientation_) {
    case SliceOrientation::Axial:
      return 2;
    case SliceOrientation::Coronal:
      return 1;
    case SliceOrientation::Sagittal:
      return 0;
  }
  return 2;
}

void SliceView::setRadiological(bool radiological) {
  radiological_ = radiological;
  updateCamera();
  updateCrosshair();
  requestRender();
}

void SliceView::setBase(const vtkSmartPointer<vtkImageData>& image, double window, double level) {
  baseMapper_->SetInputData(image);
  if (!hasBase_) stack_->AddImage(base_);
  const bool first = !hasBase_;
  hasBase_ = true;
  if (first) {
    double bounds[6];
    image->GetBounds(bounds);
    cursor_ = {(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2, (bounds[4] + bounds[5]) / 2};
    centre_ = cursor_;
  }
  setWindowLevel(window, level);
  updateSlices();
  updateCamera();
  updateCrosshair();
}

void SliceView::setLabels(const vtkSmartPointer<vtkImageData>& labels, const std::vector<LabelColor>& colors,
                          double opacity) {
  if (stack_->HasImage(labels_)) stack_->RemoveImage(labels_);
  if (labels) {
    labelMapper_->SetInputData(labels);
    labels_->GetProperty()->SetLookupTable(labelLookupTable(colors, 1.0));
    labels_->GetProperty()->SetOpacity(opacity);
    stack_->AddImage(labels_);
  }
  updateSlices();
  requestRender();
}

void SliceView::setHeatmap(const vtkSmartPointer<vtkImageData>& heatmap, const HeatmapStyle& style) {
  if (stack_->HasImage(heatmap_)) stack_->RemoveImage(heatmap_);
  hasHeatmap_ = bool(heatmap);
  unitsText_ = heatmap ? QString::fromStdString(style.units) : QString();
  rangeText_ = QString::asprintf(style.signedMap ? "+-%.2g" : "0..%.2g", style.range);
  layOutAnnotations();
  if (heatmap) {
    heatmapMapper_->SetInputData(heatmap);
    vtkSmartPointer<vtkLookupTable> lut = heatmapLookupTable(style);
    heatmap_->GetProperty()->SetLookupTable(lut);
    heatmap_->GetProperty()->SetOpacity(1.0);  // alpha is in the table (transparent under the threshold)
    stack_->AddImage(heatmap_);
    auto barTable = vtkSmartPointer<vtkLookupTable>::New();
    barTable->DeepCopy(lut);
    for (vtkIdType i = 0; i < barTable->GetNumberOfTableValues(); ++i) {
      double rgba[4];
      barTable->GetTableValue(i, rgba);
      rgba[3] = rgba[3] > 0 ? 1.0 : 0.25;  // the bar shows the thresholded band faintly
      barTable->SetTableValue(i, rgba);
    }
    colorBar_->SetLookupTable(barTable);
    colorBar_->SetTitle("");  // the units go in the upper left corner (a bar title is clipped at the edge)
  }
  updateSlices();
  requestRender();
}

void SliceView::setTitle(const QString& title) {
  title_->SetInput(title.toUtf8().constData());
  titleText_ = title;
  layOutAnnotations();
  requestRender();
}

QRect SliceView::colorBarLabelsRect() const {
  if (!colorBar_->GetVisibility()) return {};
  int bar[4];  // x, y, width, height in the render window's pixels, y up
  colorBar_->GetScalarBarRect(bar, renderer());
  const double dpr = devicePixelRatioF();
  const int right = int((bar[0] + bar[2]) / dpr), top = int(height() - (bar[1] + bar[3]) / dpr);
  return QRect(right, top - int(kTextPixels * textScale()), width() - right,
               int(bar[3] / dpr + 2 * kTextPixels * textScale()))
      .intersected(rect());
}

double SliceView::textScale() const {
  return std::max(1.0, logicalDpiY() / 96.0);
}

void SliceView::layOutAnnotations() {
  // The colour bar takes the right edge of a pane wide enough for it (a narrow pane, as in a
  // comparison of two runs, keeps its image and says the range in its units line); the right-hand
  // letter stays left of the bar.
  const int w = std::max(1, width()), h = std::max(1, height());
  const bool bar = hasHeatmap_ && w >= kNarrowestBarPane * textScale();
  colorBar_->SetVisibility(bar);
  const double barWidth = std::min(0.3, (kColorBarPixels + 8) * textScale() / w);
  colorBar_->SetPosition(1.0 - barWidth, 0.12);
  colorBar_->SetWidth(barWidth - 0.01);
  edge_[1]->SetPosition(bar ? 0.99 - barWidth : 0.99, 0.5);
  // Corner text ends before the letter centred on its edge: the caption (lower left) goes on lines
  // ("FLAIR" / "axial", a run's "3 saliency" / "FLAIR"), each shortened with "..." if still too long;
  // the map's units (upper left) wrap between words (first line beside the upper letter, see wrapWords).
  QFont font("Arial");  // VTK's default face; Debian maps it onto the metric-compatible Liberation Sans
  font.setPixelSize(title_->GetTextProperty()->GetFontSize());
  font.setBold(true);
  const QFontMetrics metrics(font);
  const int half = w / 2;  // whole pixels, as before
  const int room = std::max(0, int(half - 0.01 * w - metrics.horizontalAdvance("M") - 4));
  QStringList lines;
  for (const QString& part : titleText_.split("  ", Qt::SkipEmptyParts)) {
    const qsizetype colon = part.indexOf(": ");
    if (metrics.horizontalAdvance(part) > room && colon > 0)
      lines << part.left(colon) << part.mid(colon + 2);
    else
      lines << part;
  }
  // Only the last line sits beside the lower letter; the lines above it may span the pane.
  const int fullRoom = std::max(0, int(0.97 * w) - 4);
  for (qsizetype i = 0; i < lines.size(); ++i)
    lines[i] = metrics.elidedText(lines[i], Qt::ElideRight, i + 1 == lines.size() ? room : fullRoom);
  title_->SetInput(lines.join('\n').toUtf8().constData());
  title_->SetPosition(0.01, 0.01 + 2.0 / h);
  QString units = unitsText_;
  if (!bar && hasHeatmap_) units += QString(" (%1)").arg(rangeText_);
  units_->SetInput(wrapWords(units, metrics, room, fullRoom, 3).join('\n').toUtf8().constData());
}

QStringList SliceView::wrapWords(const QString& text, const QFontMetrics& metrics, int firstRoom, int room,
                                 int maxLines) {
  QStringList lines;
  QString line;
  for (const QString& word : text.split(' ', Qt::SkipEmptyParts)) {
    const QString longer = line.isEmpty() ? word : line + ' ' + word;
    if (line.isEmpty() || metrics.horizontalAdvance(longer) <= (lines.isEmpty() ? firstRoom : room) ||
        lines.size() + 1 == maxLines) {
      line = longer;
    } else {
      lines << line;
      line = word;
    }
  }
  if (!line.isEmpty()) lines << line;
  for (qsizetype i = 0; i < lines.size(); ++i)
    lines[i] = metrics.elidedText(lines[i], Qt::ElideRight, i == 0 ? firstRoom : room);
  return lines;
}

void SliceView::setCursor(const Point& lps) {
  cursor_ = lps;
  updateSlices();
  updateCrosshair();
  requestRender();
}

void SliceView::setWindowLevel(double window, double level) {
  window_ = std::max(window, 1e-6);
  level_ = level;
  base_->GetProperty()->SetColorWindow(window_);
  base_->GetProperty()->SetColorLevel(level_);
  requestRender();
}

void SliceView::setZoom(double zoom) {
  zoom_ = std::clamp(zoom, 0.1, 50.0);
  updateCamera();
  requestRender();
}

void SliceView::setCentre(const Point& lps) {
  centre_ = lps;
  updateCamera();
  requestRender();
}

void SliceView::resetView() {
  if (!hasBase_) return;
  double bounds[6];
  baseMapper_->GetInput()->GetBounds(bounds);
  centre_ = {(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2, (bounds[4] + bounds[5]) / 2};
  zoom_ = 1.0;
  updateCamera();
  requestRender();
}

QStringList SliceView::edgeLabels() const {
  vtkCamera* camera = renderer()->GetActiveCamera();
  Point dop, up;
  camera->GetDirectionOfProjection(dop.data());
  camera->GetViewUp(up.data());
  const Point right = crossProduct(dop, up);
  const Point left{-right[0], -right[1], -right[2]}, down{-up[0], -up[1], -up[2]};
  return {letterOf(left), letterOf(right), letterOf(up), letterOf(down)};
}

int SliceView::sliceIndex() const {
  return hasBase_ ? baseMapper_->GetSliceNumber() : -1;
}

void SliceView::updateCamera() {
  Point dop{0, 0, 1}, up{0, -1, 0};
  switch (orientation_) {
    case SliceOrientation::Axial:
      dop = {0, 0, radiological_ ? 1.0 : -1.0};
      up = {0, -1, 0};
      break;
    case SliceOrientation::Coronal:
      dop = {0, radiological_ ? 1.0 : -1.0, 0};
      up = {0, 0, 1};
      break;
    case SliceOrientation::Sagittal:
      dop = {-1, 0, 0};
      up = {0, 0, 1};
      break;
  }
  vtkCamera* camera = renderer()->GetActiveCamera();
  double halfUp = 100, halfRight = 100;
  Point focal = centre_;
  if (hasBase_) {
    double bounds[6];
    baseMapper_->GetInput()->GetBounds(bounds);
    const Point right = crossProduct(dop, up);
    auto halfAlong = [&](const Point& v) {
      double h = 0;
      for (int a = 0; a < 3; ++a) h += std::abs(v[std::size_t(a)]) * (bounds[2 * a + 1] - bounds[2 * a]) / 2;
      return h;
    };
    halfUp = halfAlong(up);
    halfRight = halfAlong(right);
    const double distance = 2.0 * (bounds[1] - bounds[0] + bounds[3] - bounds[2] + bounds[5] - bounds[4]) + 100.0;
    focal[std::size_t(normalAxis())] = cursor_[std::size_t(normalAxis())];
    camera->SetFocalPoint(focal.data());
    camera->SetPosition(focal[0] - dop[0] * distance, focal[1] - dop[1] * distance, focal[2] - dop[2] * distance);
  } else {
    camera->SetFocalPoint(0, 0, 0);
    camera->SetPosition(-dop[0] * 500, -dop[1] * 500, -dop[2] * 500);
  }
  camera->SetViewUp(up.data());
  const double aspect = height() > 0 ? double(width()) / height() : 1.0;
  camera->SetParallelScale(1.05 * std::max(halfUp, halfRight / aspect) / zoom_);
  renderer()->ResetCameraClippingRange();
  const QStringList labels = edgeLabels();
  for (std::size_t i = 0; i < 4; ++i) edge_[i]->SetInput(labels[int(i)].toUtf8().constData());
}

void SliceView::updateSlices() {
  const int axis = normalAxis();
  const double position = cursor_[std::size_t(axis)];
  for (vtkImageSliceMapper* m : {baseMapper_.Get(), labelMapper_.Get(), heatmapMapper_.Get()})
    if (vtkImageData* image = vtkImageData::SafeDownCast(m->GetInput()))
      m->SetSliceNumber(sliceOf(image, axis, position));
  updateCamera();
}

void SliceView::updateCrosshair() {
  crossA_->SetVisibility(hasBase_);
  crossB_->SetVisibility(hasBase_);
  if (!hasBase_) return;
  vtkImageData* image = baseMapper_->GetInput();
  double bounds[6];
  image->GetBounds(bounds);
  const int n = normalAxis();
  const int a = n == 0 ? 1 : 0, b = n == 2 ? 1 : 2;
  Point dop;
  renderer()->GetActiveCamera()->GetDirectionOfProjection(dop.data());
  // On the shown slice plane, one millimetre towards the camera so the lines are never hidden.
  const double plane =
      image->GetOrigin()[n] + image->GetSpacing()[n] * baseMapper_->GetSliceNumber() - dop[std::size_t(n)] * 1.0;
  Point p0 = cursor_, p1 = cursor_;
  p0[std::size_t(n)] = p1[std::size_t(n)] = plane;
  p0[std::size_t(a)] = bounds[2 * a];
  p1[std::size_t(a)] = bounds[2 * a + 1];
  lineA_->SetPoint1(p0.data());
  lineA_->SetPoint2(p1.data());
  p0 = p1 = cursor_;
  p0[std::size_t(n)] = p1[std::size_t(n)] = plane;
  p0[std::size_t(b)] = bounds[2 * b];
  p1[std::size_t(b)] = bounds[2 * b + 1];
  lineB_->SetPoint1(p0.data());
  lineB_->SetPoint2(p1.data());
}

SliceView::Point SliceView::worldAt(const QPointF& pos) const {
  const double dpr = devicePixelRatioF();
  vtkRenderer* r = renderer();
  r->SetDisplayPoint(pos.x() * dpr, (height() - pos.y()) * dpr, 0.0);
  r->DisplayToWorld();
  double world[4];
  r->GetWorldPoint(world);
  if (world[3] != 0.0)
    for (int i = 0; i < 3; ++i) world[i] /= world[3];
  Point p{world[0], world[1], world[2]};
  p[std::size_t(normalAxis())] = cursor_[std::size_t(normalAxis())];
  return p;
}

void SliceView::stepSlice(int steps) {
  if (!hasBase_ || steps == 0) return;
  const int n = normalAxis();
  Point p = cursor_;
  vtkImageData* image = baseMapper_->GetInput();
  const int slice =
      std::clamp(baseMapper_->GetSliceNumber() + steps, image->GetExtent()[2 * n], image->GetExtent()[2 * n + 1]);
  p[std::size_t(n)] = image->GetOrigin()[n] + image->GetSpacing()[n] * slice;
  Q_EMIT cursorRequested(p);
}

void SliceView::mousePressEvent(QMouseEvent* e) {
  dragging_ = e->button();
  dragStart_ = e->position();
  dragWindow_ = window_;
  dragLevel_ = level_;
  dragCentre_ = centre_;
  const bool left = hasBase_ && e->button() == Qt::LeftButton;
  boxDrag_ = left && (e->modifiers() & Qt::ShiftModifier);
  if (left && !boxDrag_) Q_EMIT cursorRequested(worldAt(e->position()));
  if (left && (e->modifiers() & Qt::ControlModifier)) Q_EMIT pointTargetRequested(worldAt(e->position()));
}

void SliceView::mouseReleaseEvent(QMouseEvent* e) {
  if (boxDrag_ && (e->position() - dragStart_).manhattanLength() > 3)
    Q_EMIT boxTargetRequested(worldAt(dragStart_), worldAt(e->position()));
  boxDrag_ = false;
  dragging_ = Qt::NoButton;
}

void SliceView::mouseMoveEvent(QMouseEvent* e) {
  if (!hasBase_) return;
  const QPointF delta = e->position() - dragStart_;
  switch (dragging_) {
    case Qt::LeftButton:
      if (!boxDrag_) Q_EMIT cursorRequested(worldAt(e->position()));
      break;
    case Qt::RightButton:
      Q_EMIT windowLevelRequested(dragWindow_ * std::exp(delta.x() / 200.0),
                                  dragLevel_ - delta.y() * dragWindow_ / std::max(1, height()));
      break;
    case Qt::MiddleButton: {
      const Point from = worldAt(dragStart_), to = worldAt(e->position());
      Point c = centre_;
      for (std::size_t i = 0; i < 3; ++i) c[i] -= to[i] - from[i];
      dragStart_ = e->position();
      Q_EMIT centreRequested(c);
      break;
    }
    default:
      break;
  }
}

void SliceView::wheelEvent(QWheelEvent* e) {
  const int steps = e->angleDelta().y() / 120;
  if (e->modifiers() & Qt::ControlModifier)
    Q_EMIT zoomRequested(zoom_ * std::pow(1.15, steps));
  else
    stepSlice(steps);
}

void SliceView::keyPressEvent(QKeyEvent* e) {
  switch (e->key()) {
    case Qt::Key_Up:
      stepSlice(1);
      break;
    case Qt::Key_Down:
      stepSlice(-1);
      break;
    case Qt::Key_PageUp:
      stepSlice(10);
      break;
    case Qt::Key_PageDown:
      stepSlice(-10);
      break;
    default:
      e->ignore();
  }
}

void SliceView::resizeGL(int w, int h) {
  VtkView::resizeGL(w, h);
  layOutAnnotations();
  updateCamera();
}

}  // namespace voxplain::render
