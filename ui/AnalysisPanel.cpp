#include "AnalysisPanel.h"

#include "FigureExport.h"

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
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QTableWidget>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <numeric>
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
  // Values on the bars while they are thick enough to hold them (the matrix below gives the rest).
  series->setLabelsVisible(sets.size() <= 2);
  series->setLabelsPosition(QAbstractBarSeries::LabelsInsideEnd);
  series->setLabelsFormat("@value");
  series->setLabelsPrecision(3);
  chart->addSeries(series);
  auto* categories = new QBarCategoryAxis;
  categories->append(rows);
  chart->addAxis(categories, Qt::AlignLeft);
  series->attachAxis(categories);
  double low = 0;
  for (const auto& set : sets)
    for (double v : set.second) low = std::min(low, v);
  auto* values = new QValueAxis;
  values->setRange(low < 0 ? std::floor(low * 10) / 10 : 0, 1);
  values->setTickCount(6);
  values->setLabelFormat("%.1f");
  values->setTitleText(QObject::tr("share"));
  chart->addAxis(values, Qt::AlignBottom);
  series->attachAxis(values);
  chart->legend()->setVisible(sets.size() > 1);
}

}  // namespace

AnalysisPanel::AnalysisPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  hint_ = new QLabel(this);
  hint_->setWordWrap(true);
  layout->addWidget(hint_);
  modalityChart_ = makeChartView(this, "modalityChart");
  segmentChart_ = makeChartView(this, "segmentChart");
  layout->addWidget(modalityChart_);
  layout->addWidget(segmentChart_);
  matrix_ = new QTableWidget(this);
  matrix_->setObjectName("segmentMatrix");
  matrix_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  matrix_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  matrix_->setToolTip(tr("Agg²Exp class x segment matrix: share of |A| of each class's map in each predicted segment"));
  layout->addWidget(matrix_);
  auto* row = new QHBoxLayout;
  auto* save = new QPushButton(tr("Save charts..."), this);
  save->setObjectName("saveChartsButton");
  save->setToolTip(tr("PNG at the chosen resolution, or SVG / PDF (vector), with a caption naming the model, method, "
                      "parameters and target"));
  auto* dpi = new QComboBox(this);
  dpi->setObjectName("figureDpiCombo");
  for (int d : {150, 300, 600}) dpi->addItem(tr("%1 dpi (PNG)").arg(d), d);
  dpi->setCurrentIndex(1);
  connect(save, &QPushButton::clicked, this, [this, dpi] {
    const QString file = QFileDialog::getSaveFileName(this, tr("Save charts"), "analysis.png",
                                                      tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    if (file.isEmpty()) return;
    const QString error = saveCharts(file, dpi->currentData().toInt());
    hint_->setText(error.isEmpty() ? tr("Saved %1").arg(QFileInfo(file).fileName()) : error);
    hint_->setVisible(true);
  });
  row->addWidget(save, 1);
  row->addWidget(dpi);
  layout->addLayout(row);
  clear();
}

void AnalysisPanel::clear() {
  static_cast<QChartView*>(modalityChart_)->chart()->removeAllSeries();
  static_cast<QChartView*>(segmentChart_)->chart()->removeAllSeries();
  modalityChart_->setVisible(false);
  segmentChart_->setVisible(false);
  matrix_->clear();
  matrix_->setRowCount(0);
  matrix_->setColumnCount(0);
  matrix_->setVisible(false);
  hint_->setText(tr("Run \"Explain\" or \"Importance\" for modality and segment importance, or open a cohort result "
                    "(File > Open cohort result)."));
  hint_->setVisible(true);
  modalitySummary_.clear();
  segmentRows_ = 0;
}

void AnalysisPanel::showAnalysis(const std::vector<std::string>& modalities, const std::vector<double>& shares, const SegmentImportance* segments,
                                 const std::map<int, std::string>& labelNames, const std::vector<double>* shapleyShares) {
  QStringList rows;
  modalitySummary_.clear();
  for (std::size_t m = 0; m < modalities.size() && m < shares.size(); ++m) {
    rows << QString::fromStdString(modalities[m]);
    modalitySummary_ += QString("%1%2 %3").arg(m ? ", " : "").arg(rows.back()).arg(shares[m], 0, 'f', 2);
    if (shapleyShares && m < shapleyShares->size()) modalitySummary_ += QString(" (Shapley %1)").arg((*shapleyShares)[m], 0, 'f', 2);
  }
  std::vector<std::pair<QString, std::vector<double>>> modalitySets{{tr("share of |A|"), shares}};
  if (shapleyShares && !shapleyShares->empty()) modalitySets.emplace_back(tr("Shapley share"), *shapleyShares);
  fillBars(static_cast<QChartView*>(modalityChart_)->chart(), tr("Modality importance"), rows, modalitySets);
  modalityChart_->setVisible(true);
  hint_->setVisible(false);

  segmentRows_ = 0;
  matrix_->setVisible(false);
  if (!segments || segments->cells.empty()) {
    segmentChart_->setVisible(false);
    return;
  }
  auto nameOf = [&labelNames](const SegmentInfo& s) {
    const auto it = labelNames.find(s.label);
    return QString::fromStdString(it != labelNames.end() ? it->second : s.label == 0 ? "background" : "label " + std::to_string(s.label));
  };
  const std::size_t all = segments->modalities.size();  // the cells' "all modalities" index
  // Ranked: the segment with the largest share of the first class's |A| first (drawn at the top).
  std::vector<std::size_t> order(segments->segments.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return segments->cells[0][a][all].share < segments->cells[0][b][all].share; });
  QStringList names;
  for (std::size_t s : order) names << nameOf(segments->segments[s]);
  std::vector<std::pair<QString, std::vector<double>>> sets;
  if (segments->targets.size() == 1) {
    for (std::size_t k = 0; k <= all; ++k) {
      std::vector<double> values;
      for (std::size_t s : order) values.push_back(segments->cells[0][s][k].share);
      sets.emplace_back(k < all ? QString::fromStdString(segments->modalities[k]) : tr("all modalities"), values);
    }
  } else {
    for (std::size_t t = 0; t < segments->targets.size(); ++t) {
      std::vector<double> values;
      for (std::size_t s : order) values.push_back(segments->cells[t][s][all].share);
      sets.emplace_back(nameOf(segments->targets[t]), values);
    }
  }
  fillBars(static_cast<QChartView*>(segmentChart_)->chart(), tr("Segment importance (Agg²Exp)"), names, sets);
  segmentChart_->setVisible(true);  // after filling: a chart filled while hidden lays out without axes
  segmentRows_ = int(names.size());

  QStringList columns, targets;
  for (const SegmentInfo& s : segments->segments) columns << nameOf(s);
  for (const SegmentInfo& t : segments->targets) targets << nameOf(t);
  fillMatrix(targets, columns, [&](int t, int s) {
    const double share = segments->cells[std::size_t(t)][std::size_t(s)][all].share;
    return std::make_pair(share, QString::number(share, 'f', 3));
  });
}

void AnalysisPanel::fillMatrix(const QStringList& targets, const QStringList& segments,
                               const std::function<std::pair<double, QString>(int, int)>& cell) {
  // The class x segment matrix, each cell shaded by its share.
  matrix_->clear();
  matrix_->setRowCount(int(targets.size()));
  matrix_->setColumnCount(int(segments.size()));
  matrix_->setHorizontalHeaderLabels(segments);
  matrix_->setVerticalHeaderLabels(targets);
  for (int t = 0; t < targets.size(); ++t)
    for (int s = 0; s < segments.size(); ++s) {
      const auto [share, text] = cell(t, s);
      if (std::isnan(share)) continue;  // a segment no case predicted
      auto* item = new QTableWidgetItem(text);
      item->setData(Qt::UserRole, share);
      item->setBackground(QColor::fromHsvF(0.03, std::clamp(share, 0.0, 1.0) * 0.8, 1.0));
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      matrix_->setItem(t, s, item);
    }
  // As tall as its rows (no empty band under a one-class matrix).
  int height = matrix_->horizontalHeader()->height() + 2 * matrix_->frameWidth();
  for (int t = 0; t < matrix_->rowCount(); ++t) height += matrix_->rowHeight(t);
  matrix_->setFixedHeight(std::min(height, 160));
  matrix_->setVisible(true);
}

void AnalysisPanel::showCohort(const CohortSummary& cohort) {
  clear();
  hint_->setText(tr("Cohort of %n case(s)", nullptr, int(cohort.cases.size())) +
                 QString(": %1, %2").arg(QString::fromStdString(cohort.provenance.value("method", std::string("?"))),
                                         QString::fromStdString(cohort.provenance.value("model", nlohmann::json::object()).value("name", std::string()))));
  hint_->setVisible(true);
  QStringList rows;
  std::vector<double> means;
  modalitySummary_.clear();
  for (const MergedModality& m : cohort.modalityImportance) {
    rows << QString("%1 (sd %2, n %3)").arg(QString::fromStdString(m.name)).arg(m.absShare.sd, 0, 'f', 3).arg(m.absShare.n);
    means.push_back(m.absShare.mean);
    modalitySummary_ += QString("%1%2 %3").arg(modalitySummary_.isEmpty() ? "" : ", ", QString::fromStdString(m.name)).arg(m.absShare.mean, 0, 'f', 2);
  }
  if (!rows.isEmpty()) {
    fillBars(static_cast<QChartView*>(modalityChart_)->chart(), tr("Modality importance, cohort mean"), rows, {{tr("mean share of |A|"), means}});
    modalityChart_->setVisible(true);
  }
  // Segments ranked by the first class's mean share over all modalities.
  const std::string all = "all";
  auto mean = [&](const std::string& t, const std::string& s) {
    const MergedCell* c = cohort.cell(t, s, all);
    return c ? c->share.mean : std::nan("");
  };
  std::vector<std::string> order = cohort.segments;
  if (!cohort.targets.empty())
    std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
      const double x = mean(cohort.targets.front(), a), y = mean(cohort.targets.front(), b);
      return (std::isnan(x) ? -1.0 : x) < (std::isnan(y) ? -1.0 : y);
    });
  QStringList names;
  for (const std::string& s : order) names << QString::fromStdString(s);
  std::vector<std::pair<QString, std::vector<double>>> sets;
  for (const std::string& t : cohort.targets) {
    std::vector<double> values;
    for (const std::string& s : order) values.push_back(std::isnan(mean(t, s)) ? 0.0 : mean(t, s));
    sets.emplace_back(QString::fromStdString(t), values);
  }
  if (!sets.empty()) {
    fillBars(static_cast<QChartView*>(segmentChart_)->chart(), tr("Segment importance (Agg²Exp), cohort mean"), names, sets);
    segmentChart_->setVisible(true);
    segmentRows_ = int(names.size());
  }
  QStringList targets, segments;
  for (const std::string& t : cohort.targets) targets << QString::fromStdString(t);
  for (const std::string& s : cohort.segments) segments << QString::fromStdString(s);
  fillMatrix(targets, segments, [&](int t, int s) {
    const MergedCell* c = cohort.cell(cohort.targets[std::size_t(t)], cohort.segments[std::size_t(s)], all);
    if (!c) return std::make_pair(std::nan(""), QString());
    return std::make_pair(c->share.mean, QString("%1 ± %2 (n %3)").arg(c->share.mean, 0, 'f', 3).arg(c->share.sd, 0, 'f', 3).arg(c->share.n));
  });
}

std::optional<double> AnalysisPanel::barValue(const QString& chart, const QString& set, const QString& category) const {
  const QChartView* view = static_cast<const QChartView*>(chart == "modality" ? modalityChart_ : segmentChart_);
  for (QAbstractSeries* series : view->chart()->series()) {
    auto* bars = qobject_cast<QHorizontalBarSeries*>(series);
    if (!bars) continue;
    auto* axis = qobject_cast<QBarCategoryAxis*>(view->chart()->axes(Qt::Vertical).value(0));
    const int index = axis ? int(axis->categories().indexOf(category)) : -1;
    for (QBarSet* s : bars->barSets())
      if (s->label() == set && index >= 0 && index < s->count()) return s->at(index);
  }
  return std::nullopt;
}

QString AnalysisPanel::saveCharts(const QString& file, int dpi) const {
  FigureOptions options;
  options.dpi = dpi;
  options.caption = caption_;
  return exportCharts({static_cast<const QChartView*>(modalityChart_), static_cast<const QChartView*>(segmentChart_)}, file, options);
}

}  // namespace voxplain::ui
