#pragma once
// The segmentation's legend in the Layers panel: one row per class of the model (its colour, its
// name) with a visibility tick and how the slice panes draw it (filled or outlined). The explained
// class starts filled and the others outlined, so the attribution map under them stays visible and
// a lesion is told from a ventricle by its colour. It only sets styles on the slice view model.

#include <QWidget>
#include <array>
#include <string>
#include <vector>

QT_BEGIN_NAMESPACE
class QTableWidget;
QT_END_NAMESPACE

namespace voxplain::ui {

class SliceViewModel;

/// One class of the legend.
struct LegendClass {
  int value = 1;
  std::string name;
  std::array<unsigned char, 3> rgb{230, 70, 50};
};

class LabelLegend : public QWidget {
  Q_OBJECT
 public:
  explicit LabelLegend(SliceViewModel* slices, QWidget* parent = nullptr);

  /// Shows `classes` (background left out); `explained` starts filled, the others outlined.
  void showClasses(const std::vector<LegendClass>& classes, int explained);
  /// The rows shown, for tests and figures: name, colour, visible, filled.
  struct Row {
    int value;
    QString name;
    std::array<unsigned char, 3> rgb;
    bool visible, filled;
  };
  std::vector<Row> rows() const;
  /// Ticks or unticks class `value`, as a click on its row would.
  void setClassVisible(int value, bool visible);

 Q_SIGNALS:
  /// A class was shown, hidden, filled or outlined (the 3D view follows its visibility).
  void classesChanged();

 private:
  void apply(int row);

  SliceViewModel* sliceModel_;
  QTableWidget* table_;
};

}  // namespace voxplain::ui
