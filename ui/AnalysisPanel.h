#pragma once
// The case's analysis charts (Qt Charts): modality importance (share of |A| per modality) and
// Agg^2Exp segment importance (share of |A| of the map in each labelled segment, per modality).
// The numbers come from core (analysis/ModalityImportance.h, analysis/SegmentImportance.h),
// computed in the loading worker; this widget only draws them and saves them as PNG.

#include <QWidget>
#include <map>
#include <string>
#include <vector>

#include "analysis/SegmentImportance.h"

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace voxplain::ui {

class CaseAnalysisCharts;

class AnalysisPanel : public QWidget {
  Q_OBJECT
 public:
  explicit AnalysisPanel(QWidget* parent = nullptr);

  /// Shows the shares (one per modality, summing to 1) and, when given, the segment importance of
  /// the map; `labelNames` names segments by label value (others: "label N", 0: "background").
  void showAnalysis(const std::vector<std::string>& modalities, const std::vector<double>& shares, const SegmentImportance* segments,
                    const std::map<int, std::string>& labelNames);
  /// Removes the charts (a new study without maps).
  void clear();
  /// What the charts show, for tests and the status line: "FLAIR 0.21, T1 0.79".
  QString modalitySummary() const { return modalitySummary_; }
  /// Segment rows shown (0 without labels).
  int segmentRows() const { return segmentRows_; }
  /// Saves both charts side by side as a PNG. Returns false when the file cannot be written.
  bool saveCharts(const QString& file) const;

 private:
  QWidget* modalityChart_ = nullptr;
  QWidget* segmentChart_ = nullptr;
  QLabel* hint_ = nullptr;
  QString modalitySummary_;
  int segmentRows_ = 0;
};

}  // namespace voxplain::ui
