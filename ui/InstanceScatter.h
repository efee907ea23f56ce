#pragma once
// The instance scatter (seed paper 004's question: does the explanation tell wrong instances
// from right ones?): one point per predicted instance, volume (mm³, log scale) against the peak
// |A| of its own map (InstanceStats::peakAbs, the score behind the report's TP-vs-FP ROC AUC),
// coloured TP / FP when a reference segmentation was open. Numbers from core; a click on a point
// selects that instance like a click in the table.

#include <QWidget>
#include <array>

#include "analysis/InstanceStatistics.h"

QT_BEGIN_NAMESPACE
class QChartView;
class QScatterSeries;
QT_END_NAMESPACE

namespace voxplain::ui {

class InstanceScatter : public QWidget {
  Q_OBJECT
 public:
  explicit InstanceScatter(QWidget* parent = nullptr);
  void showReport(const InstanceReport& report);
  void clear();
  /// Points per series name ("TP", "FP", or "instances" without a reference), for tests.
  int pointCount(const QString& series) const;
  /// The point of instance `id` (x = volume mm³, y = peak |A|), for tests; (-1, -1) when absent.
  QPointF pointOf(int id) const;

 Q_SIGNALS:
  void instanceActivated(int id, const std::array<double, 3>& centroidMm);

 private:
  QChartView* view_ = nullptr;
  std::vector<InstanceStats> instances_;
};

}  // namespace voxplain::ui
