#pragma once
// The case's analysis charts: modality importance (share of |A| per modality, and the
// Shapley shares phi_m / sum |phi| when computed) and Agg^2Exp segment importance (share of |A| of
// the map in each predicted segment: ranked bars, and the class x segment matrix).
// The numbers come from core (analysis/ModalityImportance.h, analysis/SegmentImportance.h),
// computed in the loading worker; the charts are core's (analysis/ImportanceCharts.h), shown and
// saved exactly as voxplain-cli writes them.

#include <QWidget>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/CohortMerge.h"
#include "analysis/SegmentImportance.h"

QT_BEGIN_NAMESPACE
class QLabel;
class QTableWidget;
QT_END_NAMESPACE

namespace voxplain::ui {

class ChartView;

class AnalysisPanel : public QWidget {
  Q_OBJECT
 public:
  explicit AnalysisPanel(QWidget* parent = nullptr);

  /// Shows the shares (one per modality, summing to 1) and, when given, the segment importance of
  /// the map; `labelNames` names segments by label value (others: "label N", 0: "background").
  /// `shapleyShares` (optional): phi_m / sum |phi| per modality (analysis/ModalityImportance.h).
  /// With one target class the segment bars show each modality; with several, each class (share of
  /// |A| over all modalities); segments are ranked by the first class's share.
  /// `method` names the run's method in the charts' titles ("": none, e.g. maps opened from files).
  /// `separable` false: the maps are the same for every modality (a CAM method), so the shares of
  /// |A| are left out and the panel says why (the Shapley shares, when given, are still shown).
  void showAnalysis(const std::vector<std::string>& modalities, const std::vector<double>& shares,
                    const SegmentImportance* segments, const std::map<int, std::string>& labelNames,
                    const std::string& method, const std::vector<double>* shapleyShares = nullptr,
                    bool separable = true);
  /// One run of a side-by-side comparison, as its charts need it.
  struct RunCharts {
    QString label;  ///< "run 3, Saliency"
    std::vector<std::string> modalities;
    std::vector<double> shares;  ///< share of |A| per modality
    bool separable = true;       ///< false: the same map for every modality (no shares charted)
    std::shared_ptr<const SegmentImportance> segments;
  };
  /// Two runs side by side: one modality chart and one segment chart with a series per run (each
  /// run's share of |A| over all modalities in each segment of the first target class).
  void showComparison(const RunCharts& first, const RunCharts& second, const std::map<int, std::string>& labelNames);
  /// Shows a cohort result of `voxplain-cli merge` (analysis/CohortSummaryReader.h): mean share
  /// of |A| per modality and per segment, the matrix with mean ± sd and n per cell.
  void showCohort(const CohortSummary& cohort);
  /// Removes the charts (a new study without maps).
  void clear();
  /// What the charts show, for tests and the status line: "FLAIR 0.21, T1 0.79".
  QString modalitySummary() const { return modalitySummary_; }
  /// Segment rows shown (0 without labels).
  int segmentRows() const { return segmentRows_; }
  /// The value of a bar (nullopt when absent), for tests: chart "modality" or "segment", the bar
  /// set's name ("share of |A|", "Shapley share", a modality, a class) and the category.
  std::optional<double> barValue(const QString& chart, const QString& set, const QString& category) const;
  /// The SVG of chart "modality" or "segment" as shown (and saved, and written by voxplain-cli).
  QByteArray chartSvg(const QString& chart) const;
  /// The class x segment matrix (share of |A| over all modalities), for tests.
  const QTableWidget* segmentMatrix() const { return matrix_; }
  /// What made the charts (model, method, parameters, target), drawn above them in saved figures.
  void setCaption(const QString& caption) { caption_ = caption; }
  const QString& caption() const { return caption_; }
  /// Saves the charts shown and the class x segment matrix, one under the other, as PNG at `dpi`, SVG
  /// or PDF (by the suffix; see FigureExport.h). Returns an empty string, or why it failed.
  QString saveCharts(const QString& file, int dpi = 300) const;

 private:
  /// Fills the matrix: cell(t, s) gives the share shading it (NaN: left empty) and its text.
  void fillMatrix(const QStringList& targets, const QStringList& segments,
                  const std::function<std::pair<double, QString>(int, int)>& cell);
  ChartView* modalityChart_ = nullptr;
  ChartView* segmentChart_ = nullptr;
  QByteArray matrixSvg_;  ///< the matrix as the saved figure draws it (analysis/ImportanceCharts.h)
  QLabel* hint_ = nullptr;
  QTableWidget* matrix_ = nullptr;
  QString modalitySummary_;
  QString caption_;
  int segmentRows_ = 0;
};

}  // namespace voxplain::ui
