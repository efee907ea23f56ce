#include "InstanceScatter.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace voxplain::ui {

InstanceScatter::InstanceScatter(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  view_ = new QChartView(new QChart, this);
  view_->setObjectName("instanceScatter");
  view_->setRenderHint(QPainter::Antialiasing);
  // Room for a readable plot under the title and the axes' labels and titles at the app font (at
  // 160 px a 1366x768 screen left ~30 px of plot and cut the tick labels to "..."); the dock scrolls.
  view_->setMinimumHeight(230);
  QChart* chart = view_->chart();
  chart->setMargins(QMargins(2, 2, 2, 2));
  chart->layout()->setContentsMargins(0, 0, 0, 0);
  chart->setBackgroundRoundness(0);
  chart->legend()->setAlignment(Qt::AlignBottom);
  layout->addWidget(view_);
  clear();
}

void InstanceScatter::clear() {
  instances_.clear();
  QChart* chart = view_->chart();
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) chart->removeAxis(axis);
  chart->setTitle(tr("Instances: peak |A| against volume"));
}

void InstanceScatter::showReport(const InstanceReport& report) {
  clear();
  instances_ = report.instances;
  QChart* chart = view_->chart();
  auto makeSeries = [chart](const QString& name, const QColor& color) {
    auto* s = new QScatterSeries;
    s->setName(name);
    s->setColor(color);
    s->setBorderColor(color.darker(130));
    s->setMarkerSize(9);
    chart->addSeries(s);
    return s;
  };
  QScatterSeries* tp = report.hasReference ? makeSeries(tr("TP"), QColor(40, 150, 70))
                                           : makeSeries(tr("instances"), QColor(40, 90, 200));
  QScatterSeries* fp = report.hasReference ? makeSeries(tr("FP"), QColor(210, 50, 40)) : nullptr;
  chart->legend()->setVisible(fp != nullptr);  // one series: the title says what the points are
  double minVolume = 1e30, maxVolume = 0, maxPeak = 0;
  for (const InstanceStats& s : instances_) {
    const double volume = std::max(s.volumeMm3, 1e-3), peak = s.peakAbs();
    (fp && s.match == "FP" ? fp : tp)->append(volume, peak);
    minVolume = std::min(minVolume, volume);
    maxVolume = std::max(maxVolume, volume);
    maxPeak = std::max(maxPeak, peak);
  }
  auto* x = new QLogValueAxis;
  x->setBase(10);
  x->setLabelFormat("%g");
  x->setTitleText(tr("volume (mm³)"));
  x->setRange(instances_.empty() ? 1 : minVolume / 2, instances_.empty() ? 10 : maxVolume * 2);
  auto* y = new QValueAxis;
  y->setTitleText(tr("|A|"));  // "peak |A|" is the chart's title: a short axis title is never cut
  y->setRange(0, maxPeak > 0 ? maxPeak * 1.1 : 1);
  y->setLabelFormat("%.3g");
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  for (QAbstractSeries* s : chart->series()) {
    s->attachAxis(x);
    s->attachAxis(y);
    connect(static_cast<QScatterSeries*>(s), &QScatterSeries::clicked, this, [this](const QPointF& p) {
      for (const InstanceStats& i : instances_)
        if (std::abs(std::max(i.volumeMm3, 1e-3) - p.x()) <= 1e-9 * std::max(1.0, p.x()) &&
            std::abs(i.peakAbs() - p.y()) <= 1e-12 + 1e-9 * p.y()) {
          Q_EMIT instanceActivated(i.id, i.centroidMm);
          return;
        }
    });
  }
  if (report.hasReference && report.aucPeakTpVsFp >= 0)
    chart->setTitle(
        tr("Instances: peak |A| against volume (ROC AUC TP vs FP %1)").arg(report.aucPeakTpVsFp, 0, 'f', 2));
}

int InstanceScatter::pointCount(const QString& series) const {
  for (QAbstractSeries* s : view_->chart()->series())
    if (s->name() == series) return int(static_cast<QScatterSeries*>(s)->count());
  return 0;
}

QPointF InstanceScatter::pointOf(int id) const {
  for (const InstanceStats& i : instances_)
    if (i.id == id) return {std::max(i.volumeMm3, 1e-3), i.peakAbs()};
  return {-1, -1};
}

}  // namespace voxplain::ui
