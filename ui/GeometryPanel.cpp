#include "GeometryPanel.h"

#include <QFileInfo>

#include <QHeaderView>

namespace voxplain::ui {

QString formatTriple(const std::array<double, 3>& v) {
  return QString("[%1, %2, %3]").arg(v[0], 0, 'g', 6).arg(v[1], 0, 'g', 6).arg(v[2], 0, 'g', 6);
}

GeometryPanel::GeometryPanel(QWidget* parent) : QTreeWidget(parent) {
  setObjectName("geometryPanel");
  setColumnCount(2);
  setHeaderLabels({tr("Property"), tr("Value")});
  header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  setAlternatingRowColors(true);
}

void GeometryPanel::showStudy(const Study& study, const QStringList& notes) {
  clear();
  const Geometry& g = study.referenceGrid();
  auto* grid = new QTreeWidgetItem(this, {tr("Reference grid"), QString::fromStdString(g.axisCodes())});
  const auto sizeText = QString("%1 x %2 x %3 voxels").arg(g.size[0]).arg(g.size[1]).arg(g.size[2]);
  new QTreeWidgetItem(grid, {tr("Size"), sizeText});
  new QTreeWidgetItem(grid, {tr("Spacing (mm)"), formatTriple(g.spacing)});
  new QTreeWidgetItem(grid, {tr("Origin (LPS mm)"), formatTriple(g.origin)});
  for (int c = 0; c < 3; ++c)
    new QTreeWidgetItem(grid, {tr("Axis %1 direction").arg(QChar("ijk"[c])), formatTriple(g.axis(c))});
  const Vec3 far = g.indexToPhysical({double(g.size[0] - 1), double(g.size[1] - 1), double(g.size[2] - 1)});
  new QTreeWidgetItem(grid, {tr("Far corner (LPS mm)"), formatTriple(far)});
  for (const Modality& m : study.modalities()) {
    const auto [lo, hi] = valueRange(m.volume);
    // The file name on screen (screenshots must not show a machine's folders); the path as a tooltip.
    const QString source = QString::fromStdString(m.source);
    auto* item = new QTreeWidgetItem(this, {QString::fromStdString(m.name), QFileInfo(source).fileName()});
    item->setToolTip(1, source);
    new QTreeWidgetItem(item, {tr("Values"), QString("%1 .. %2").arg(lo, 0, 'g', 6).arg(hi, 0, 'g', 6)});
    new QTreeWidgetItem(item, {tr("Grid"), m.resampledBecause.empty()
                                               ? tr("reference grid")
                                               : tr("resampled: ") + QString::fromStdString(m.resampledBecause)});
  }
  if (!notes.isEmpty()) {
    auto* n = new QTreeWidgetItem(this, {tr("Notes"), QString::number(notes.size())});
    for (const QString& note : notes) new QTreeWidgetItem(n, {QString(), note});
  }
  expandAll();
}

}  // namespace voxplain::ui
