#include "SlicePanel.h"

#include <QGridLayout>

#include "SliceView.h"
#include "SliceViewModel.h"

namespace voxplain::ui {
const char* SlicePanel::orientationName(int orientation) {
  static const char* const names[] = {"axial", "coronal", "sagittal"};
  return names[orientation];
}

SlicePanel::SlicePanel(SliceViewModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  new QGridLayout(this);
  layout()->setContentsMargins(0, 0, 0, 0);
  layout()->setSpacing(2);
  connect(model_, &SliceViewModel::layersChanged, this, &SlicePanel::syncLayers);
  connect(model_, &SliceViewModel::cursorChanged, this, &SlicePanel::syncCursor);
  connect(model_, &SliceViewModel::viewChanged, this, &SlicePanel::syncView);
  connect(model_, &SliceViewModel::windowLevelChanged, this, &SlicePanel::syncWindowLevel);
}

void SlicePanel::rebuild() {
  for (render::SliceView* v : views_) v->deleteLater();
  views_.clear();
  auto* grid = static_cast<QGridLayout*>(layout());
  for (int m = 0; m < model_->modalityCount(); ++m)
    for (int o = 0; o < 3; ++o) {
      auto* view = new render::SliceView(static_cast<render::SliceOrientation>(o), this);
      view->setObjectName(QString("slice_%1_%2").arg(model_->modalityName(m), orientationName(o)));
      view->setMinimumSize(80, 80);  // four panes of a comparison fit beside the docks at 1366x768
      grid->addWidget(view, o, m);
      views_.push_back(view);
      connect(view, &render::SliceView::cursorRequested, model_, &SliceViewModel::setCursor);
      connect(view, &render::SliceView::centreRequested, model_, &SliceViewModel::setCentre);
      connect(view, &render::SliceView::pointTargetRequested, this, &SlicePanel::pointTargetRequested);
      const int normal = o == 0 ? 2 : o == 1 ? 1 : 0;
      connect(view, &render::SliceView::boxTargetRequested, this,
              [this, normal](const std::array<double, 3>& a, const std::array<double, 3>& b) {
                Q_EMIT boxTargetRequested(a, b, normal);
              });
      connect(view, &render::SliceView::zoomRequested, model_, &SliceViewModel::setZoom);
      connect(view, &render::SliceView::windowLevelRequested, this,
              [this, m](double w, double l) { model_->setWindowLevel(m, w, l); });
    }
}

void SlicePanel::syncLayers() {
  if (int(views_.size()) != 3 * model_->modalityCount()) rebuild();
  for (int m = 0; m < model_->modalityCount(); ++m)
    for (int o = 0; o < 3; ++o) {
      render::SliceView* v = views_[std::size_t(m * 3 + o)];
      const auto wl = model_->windowLevel(m);
      v->setBase(model_->base(m), wl[0], wl[1]);
      v->setTitle(QString("%1  %2").arg(model_->modalityName(m), orientationName(o)));
      const int normal = o == 0 ? 2 : o == 1 ? 1 : 0;
      v->setLabels(model_->labels(normal), model_->labelColors(), model_->labelOpacity());
      v->setHeatmap(model_->heatmap(m), model_->heatmapStyle(m));
    }
  syncView();
  syncCursor();
}

void SlicePanel::syncCursor() {
  for (render::SliceView* v : views_) v->setCursor(model_->cursor());
}

void SlicePanel::syncView() {
  for (render::SliceView* v : views_) {
    v->setRadiological(model_->radiological());
    v->setZoom(model_->zoom());
    v->setCentre(model_->centre());
  }
}

void SlicePanel::syncWindowLevel(int modality) {
  const auto wl = model_->windowLevel(modality);
  for (int o = 0; o < 3; ++o) views_[std::size_t(modality * 3 + o)]->setWindowLevel(wl[0], wl[1]);
}

}  // namespace voxplain::ui
