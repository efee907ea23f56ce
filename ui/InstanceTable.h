#pragma once
// The instance table: one row per predicted instance (26-connected component of the explained
// class), with the statistics of its own explanation (analysis/InstanceStatistics.h, seed paper
// 004): volume, mean probability, per modality the peak, the mean inside and in the ring around it,
// the share of |A|, and TP/FP against a reference segmentation when one is open. Sortable; a click
// asks the window to centre the views on the instance and show its own map. Below the table, the
// instance scatter (InstanceScatter.h) plots the same rows.

#include <QWidget>

#include "analysis/InstanceStatistics.h"

QT_BEGIN_NAMESPACE
class QLabel;
class QTableWidget;
QT_END_NAMESPACE

namespace voxplain::ui {

class InstanceScatter;

class InstanceTable : public QWidget {
  Q_OBJECT
 public:
  explicit InstanceTable(QWidget* parent = nullptr);

  /// Shows `report` (replaces the rows); `title` says which run made it.
  void showReport(const InstanceReport& report, const QString& title);
  void clear();
  int rowCount() const;
  /// The text of a cell, for tests ("id", "volume_mm3", "FLAIR peak"... as the header says).
  QString cell(int row, const QString& header) const;
  const InstanceScatter* scatter() const { return scatter_; }
  /// Selects the largest instance (by volume) as a click would (instanceActivated follows); false
  /// when the table is empty.
  bool activateLargest();

 Q_SIGNALS:
  /// A row was clicked: its instance id (1-based) and centroid (LPS mm).
  void instanceActivated(int id, const std::array<double, 3>& centroidMm);

 private:
  QTableWidget* table_ = nullptr;
  QLabel* summary_ = nullptr;
  InstanceScatter* scatter_ = nullptr;
  std::vector<InstanceStats> instances_;
};

}  // namespace voxplain::ui
