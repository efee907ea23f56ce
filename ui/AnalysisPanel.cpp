#include "AnalysisPanel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFileDialog>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QValueAxis>
#include <QVBoxLayout>

namespace voxplain::ui {
namespace {

QChartView* makeChartView(QWidget* parent, const char* name) {
  auto* view = new QChartView(new QChart, parent);
  view->setObjectName(name);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumHeight(240);
  view->setMinimumWidth(340);
  view->chart()->legend()->setAlignment(Qt::AlignBottom);
  return view;
}

// Replaces the chart's content with horizontal bars: one category per row, one set per series.
void fillBars(QChart* chart, const QString& title, const QStringList& rows, const std::vector<std::pair<QString, std::vector<double>>>& sets) {
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) chart->removeAxis(axis);
  chart->setTitle(title);
  auto* series = new QHorizontalBarSeries;
  for (const auto& [name, values] : sets) {
    auto* set = new QBarSet(name);
    for (double v : values) *set << v;
    series->append(set);
  }
  series->setLabelsVisible(true);
  series->setLabelsFormat("@value");
  series->setLabelsPrecision(3);
  chart->addSeries(series);
  auto* categories = new QBarCategoryAxis;
  categories->append(rows);
  chart->addAxis(categories, Qt::AlignLeft);
  series->attachAxis(categories);
  auto* values = new QValueAxis;
  values->setRange(0, 1);
  values->setTickCount(6);
  values->setLabelFormat("%.1f");
  values->setTitleText(QObject::tr("share of |A|"));
  chart->addAxis(values, Qt::AlignBottom);
  series->attachAxis(values);
  chart->legend()->setVisible(sets.size() > 1);
}

}  // namespace

AnalysisPanel::AnalysisPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  hint_ = new QLabel(tr("Load attribution maps (one per modality) to see modality importance; add a label map for segment importance."), this);
  hint_->setWordWrap(true);
  layout->addWidget(hint_);
  modalityChart_ = makeChartView(this, "modalityChart");
  segmentChart_ = makeChartView(this, "segmentChart");
  layout->addWidget(modalityChart_);
  layout->addWidget(segmentChart_);
  auto* save = new QPushButton(tr("Save charts as PNG..."), this);
  save->setObjectName("saveChartsButton");
  connect(save, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getSaveFileName(this, tr("Save charts"), "analysis.png", tr("PNG images (*.png)"));
    if (!file.isEmpty() && !saveCharts(file)) hint_->setText(tr("Could not write %1").arg(file));
  });
  layout->addWidget(save);
  clear();
}

void AnalysisPanel::clear() {
  static_cast<QChartView*>(modalityChart_)->chart()->removeAllSeries();
  static_cast<QChartView*>(segmentChart_)->chart()->removeAllSeries();
  modalityChart_->setVisible(false);
  segmentChart_->setVisible(false);
  hint_->setVisible(true);
  modalitySummary_.clear();
  segmentRows_ = 0;
}

void AnalysisPanel::showAnalysis(const std::vector<std::string>& modalities, const std::vector<double>& shares, const SegmentImportance* segments,
                                 const std::map<int, std::string>& labelNames) {
  QStringList rows;
  modalitySummary_.clear();
  for (std::size_t m = 0; m < modalities.size() && m < shares.size(); ++m) {
    rows << QString::fromStdString(modalities[m]);
    modalitySummary_ += QString("%1%2 %3").arg(m ? ", " : "").arg(rows.back()).arg(shares[m], 0, 'f', 2);
  }
  fillBars(static_cast<QChartView*>(modalityChart_)->chart(), tr("Modality importance"), rows, {{tr("share of |A|"), shares}});
  modalityChart_->setVisible(true);
  hint_->setVisible(false);

  segmentRows_ = 0;
  if (!segments || segments->cells.empty()) {
    segmentChart_->setVisible(false);
    return;
  }
  QStringList names;
  for (const SegmentInfo& s : segments->segments) {
    const auto it = labelNames.find(s.label);
    names << QString::fromStdString(it != labelNames.end() ? it->second : s.label == 0 ? "background" : "label " + std::to_string(s.label));
  }
  std::vector<std::pair<QString, std::vector<double>>> sets;
  for (std::size_t k = 0; k <= segments->modalities.size(); ++k) {
    std::vector<double> values;
    for (std::size_t s = 0; s < segments->segments.size(); ++s) values.push_back(segments->cells[0][s][k].share);
    sets.emplace_back(k < segments->modalities.size() ? QString::fromStdString(segments->modalities[k]) : tr("all modalities"), values);
  }
  fillBars(static_cast<QChartView*>(segmentChart_)->chart(), tr("Segment importance (Agg²Exp)"), names, sets);
  segmentChart_->setVisible(true);  // after filling: a chart filled while hidden lays out without axes
  segmentRows_ = int(names.size());
}

bool AnalysisPanel::saveCharts(const QString& file) const {
  const QPixmap a = modalityChart_->grab(), b = segmentChart_->isVisible() ? segmentChart_->grab() : QPixmap();
  QPixmap both(std::max(a.width(), b.width()), a.height() + b.height());
  both.fill(Qt::white);
  QPainter painter(&both);
  painter.drawPixmap(0, 0, a);
  if (!b.isNull()) painter.drawPixmap(0, a.height(), b);
  painter.end();
  return both.save(file, "PNG");
}

}  // namespace voxplain::ui
