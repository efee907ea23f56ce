#include "AnalysisPanel.h"

#include "ChartView.h"
#include "FigureExport.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "analysis/ImportanceCharts.h"

namespace voxplain::ui {
AnalysisPanel::AnalysisPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  hint_ = new QLabel(this);
  hint_->setWordWrap(true);
  layout->addWidget(hint_);
  modalityChart_ = new ChartView(this);
  modalityChart_->setObjectName("modalityChart");
  segmentChart_ = new ChartView(this);
  segmentChart_->setObjectName("segmentChart");
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
  save->setToolTip(
      tr("The charts and the class x segment matrix as PNG at the chosen resolution, or SVG / PDF "
         "(vector), with a caption naming the model, method, parameters and target; the same "
         "figures as voxplain-cli writes"));
  auto* dpi = new QComboBox(this);
  dpi->setObjectName("figureDpiCombo");
  for (int d : {150, 300, 600}) dpi->addItem(tr("%1 dpi (PNG)").arg(d), d);
  dpi->setCurrentIndex(dpi->findData(kDefaultFigureDpi));
  connect(save, &QPushButton::clicked, this, [this, dpi] {
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Save charts"), "analysis.png", tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
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
  modalityChart_->clear();
  segmentChart_->clear();
  matrixSvg_.clear();
  modalityChart_->setVisible(false);
  segmentChart_->setVisible(false);
  matrix_->clear();
  matrix_->setRowCount(0);
  matrix_->setColumnCount(0);
  matrix_->setVisible(false);
  hint_->setText(
      tr("Run \"Explain\" or \"Importance\" for modality and segment importance, or open a cohort result "
         "(File > Open cohort result)."));
  hint_->setVisible(true);
  modalitySummary_.clear();
  segmentRows_ = 0;
}

void AnalysisPanel::showAnalysis(const std::vector<std::string>& modalities, const std::vector<double>& shares,
                                 const SegmentImportance* segments, const std::map<int, std::string>& labelNames,
                                 const std::string& method, const std::vector<double>* shapleyShares, bool separable) {
  QStringList rows;
  modalitySummary_.clear();
  const bool shapley = shapleyShares && !shapleyShares->empty();
  for (std::size_t m = 0; m < modalities.size() && m < shares.size(); ++m) {
    rows << QString::fromStdString(modalities[m]);
    modalitySummary_ += QString("%1%2").arg(m ? ", " : "").arg(rows.back());
    if (separable) modalitySummary_ += QString(" %1").arg(shares[m], 0, 'f', 2);
    if (shapley && m < shapleyShares->size())
      modalitySummary_ += QString(" (Shapley %1)").arg((*shapleyShares)[m], 0, 'f', 2);
  }
  hint_->setVisible(!separable);
  if (!separable) {
    modalitySummary_ = shapley ? modalitySummary_ : QString();
    hint_->setText(tr("Modality importance: not separable by this method. It gives every sequence the same map, so "
                      "its shares of |A| are equal by construction. %1")
                       .arg(shapley ? tr("The Shapley shares below come from the model's scores.")
                                    : tr("Use Importance (modality Shapley) or a gradient or perturbation method.")));
  }
  modalityChart_->setVisible(separable || shapley);
  if (separable || shapley)
    modalityChart_->setChart(modalityImportanceChart(modalities, separable ? shares : std::vector<double>{},
                                                     shapley ? *shapleyShares : std::vector<double>{}, method));

  segmentRows_ = 0;
  matrix_->setVisible(false);
  if (!segments || segments->cells.empty()) {
    segmentChart_->setVisible(false);
    return;
  }
  const BarChart chart = segmentImportanceChart(*segments, method, labelNames);
  segmentChart_->setChart(chart);
  segmentChart_->setVisible(true);
  segmentRows_ = int(chart.categories.size());
  matrixSvg_ = QByteArray::fromStdString(segmentMatrixSvg(*segments, method, labelNames));

  const auto nameOf = [&labelNames](const SegmentInfo& s) {
    return QString::fromStdString(segmentName(s, labelNames));
  };
  const std::size_t all = segments->modalities.size();  // the cells' "all modalities" index
  QStringList columns, targets;
  for (const SegmentInfo& s : segments->segments) columns << nameOf(s);
  for (const SegmentInfo& t : segments->targets) targets << nameOf(t);
  fillMatrix(targets, columns, [&](int t, int s) {
    const double share = segments->cells[std::size_t(t)][std::size_t(s)][all].share;
    return std::make_pair(share, QString::number(share, 'f', 3));
  });
}

void AnalysisPanel::showComparison(const RunCharts& first, const RunCharts& second,
                                   const std::map<int, std::string>& labelNames) {
  clear();
  hint_->setVisible(false);
  BarChart modalities{"Modality importance, two runs", first.modalities, {}, "share of |A|"};
  QStringList notSeparable;
  for (const RunCharts* run : {&first, &second}) {
    if (run->separable)
      modalities.series.push_back({run->label.toStdString(), run->shares, {}});
    else
      notSeparable << run->label;
  }
  if (!notSeparable.isEmpty()) {
    hint_->setText(
        tr("Modality importance not separable by %1: one map for every sequence.").arg(notSeparable.join(", ")));
    hint_->setVisible(true);
  }
  if (!modalities.series.empty()) {
    modalityChart_->setChart(modalities);
    modalityChart_->setVisible(true);
  }
  // Segments by name, in the first run's order; a segment only one run has gets no bar in the other.
  BarChart segments{"Segment importance, Agg2Exp, two runs", {}, {}, "share of the target's |A|"};
  for (const RunCharts* run : {&first, &second})
    if (run->segments && !run->segments->targets.empty())
      for (const SegmentInfo& segment : run->segments->segments)
        if (std::find(segments.categories.begin(), segments.categories.end(), segmentName(segment, labelNames)) ==
            segments.categories.end())
          segments.categories.push_back(segmentName(segment, labelNames));
  for (const RunCharts* run : {&first, &second}) {
    if (!run->segments || run->segments->targets.empty()) continue;
    BarSeries series{run->label.toStdString(), std::vector<double>(segments.categories.size(), NAN), {}};
    const std::size_t all = run->segments->modalities.size();
    for (std::size_t s = 0; s < run->segments->segments.size(); ++s) {
      const auto at = std::find(segments.categories.begin(), segments.categories.end(),
                                segmentName(run->segments->segments[s], labelNames));
      if (s < run->segments->cells[0].size() && all < run->segments->cells[0][s].size())
        series.values[std::size_t(at - segments.categories.begin())] = run->segments->cells[0][s][all].share;
    }
    segments.series.push_back(std::move(series));
  }
  if (!segments.series.empty()) {
    segmentChart_->setChart(segments);
    segmentChart_->setVisible(true);
    segmentRows_ = int(segments.categories.size());
  }
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
  hint_->setText(
      tr("Cohort of %n case(s)", nullptr, int(cohort.cases.size())) +
      QString(": %1, %2")
          .arg(QString::fromStdString(cohort.provenance.value("method", std::string("?"))),
               QString::fromStdString(
                   cohort.provenance.value("model", nlohmann::json::object()).value("name", std::string()))));
  hint_->setVisible(true);
  modalitySummary_.clear();
  for (const MergedModality& m : cohort.modalityImportance)
    modalitySummary_ += QString("%1%2 %3")
                            .arg(modalitySummary_.isEmpty() ? "" : ", ", QString::fromStdString(m.name))
                            .arg(m.absShare.mean, 0, 'f', 2);
  if (!cohort.modalityImportance.empty()) {
    modalityChart_->setChart(cohortModalityChart(cohort));
    modalityChart_->setVisible(true);
  }
  if (!cohort.targets.empty()) {
    const BarChart chart = cohortSegmentChart(cohort, cohort.targets);
    segmentChart_->setChart(chart);
    segmentChart_->setVisible(true);
    segmentRows_ = int(chart.categories.size());
    matrixSvg_ = QByteArray::fromStdString(cohortMatrixSvg(cohort));
  }
  QStringList targets, segments;
  for (const std::string& t : cohort.targets) targets << QString::fromStdString(t);
  for (const std::string& s : cohort.segments) segments << QString::fromStdString(s);
  fillMatrix(targets, segments, [&](int t, int s) {
    const MergedCell* c = cohort.cell(cohort.targets[std::size_t(t)], cohort.segments[std::size_t(s)], "all");
    if (!c) return std::make_pair(std::nan(""), QString());
    return std::make_pair(
        c->share.mean,
        QString("%1 ± %2 (n %3)").arg(c->share.mean, 0, 'f', 3).arg(c->share.sd, 0, 'f', 3).arg(c->share.n));
  });
}

std::optional<double> AnalysisPanel::barValue(const QString& chart, const QString& set, const QString& category) const {
  return (chart == "modality" ? modalityChart_ : segmentChart_)->barValue(set, category);
}

QByteArray AnalysisPanel::chartSvg(const QString& chart) const {
  return (chart == "modality" ? modalityChart_ : segmentChart_)->svg();
}

QString AnalysisPanel::saveCharts(const QString& file, int dpi) const {
  FigureOptions options;
  options.dpi = dpi;
  options.caption = caption_;
  std::vector<QByteArray> figures;
  for (const ChartView* chart : {modalityChart_, segmentChart_})
    if (chart->isVisible()) figures.push_back(chart->svg());
  if (matrix_->isVisible()) figures.push_back(matrixSvg_);
  return exportSvgFigures(figures, file, options);
}

}  // namespace voxplain::ui
