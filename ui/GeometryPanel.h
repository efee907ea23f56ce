#pragma once
// A read-only tree of the study's modalities and the reference grid geometry (LPS).

#include <QTreeWidget>

#include "volume/Study.h"

namespace voxplain::ui {

class GeometryPanel : public QTreeWidget {
  Q_OBJECT
 public:
  explicit GeometryPanel(QWidget* parent = nullptr);
  void showStudy(const Study& study, const QStringList& notes);
};

/// "[a, b, c]" with up to 6 significant digits.
QString formatTriple(const std::array<double, 3>& v);

}  // namespace voxplain::ui
