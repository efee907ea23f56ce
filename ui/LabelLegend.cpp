#include "LabelLegend.h"

#include <QComboBox>
#include <QHeaderView>
#include <QPixmap>
#include <QTableWidget>
#include <QVBoxLayout>

#include "SliceViewModel.h"

namespace voxplain::ui {

LabelLegend::LabelLegend(SliceViewModel* slices, QWidget* parent) : QWidget(parent), sliceModel_(slices) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  table_ = new QTableWidget(0, 2, this);
  table_->setObjectName("labelLegend");
  table_->setHorizontalHeaderLabels({tr("Class"), tr("Drawn")});
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setToolTip(
      tr("The model's classes: tick to show a class in the slice panes; a filled class hides what "
         "lies under it, an outlined one only frames it"));
  layout->addWidget(table_);
  connect(table_, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) { apply(item->row()); });
  setVisible(false);
}

void LabelLegend::showClasses(const std::vector<LegendClass>& classes, int explained) {
  const QSignalBlocker block(table_);
  table_->setRowCount(0);
  for (const LegendClass& c : classes) {
    if (c.value == 0) continue;
    const int row = table_->rowCount();
    table_->insertRow(row);
    QPixmap swatch(14, 14);
    swatch.fill(QColor(c.rgb[0], c.rgb[1], c.rgb[2]));
    auto* item = new QTableWidgetItem(QIcon(swatch), QString::fromStdString(c.name));
    item->setData(Qt::UserRole, c.value);
    item->setData(Qt::UserRole + 1, QColor(c.rgb[0], c.rgb[1], c.rgb[2]));
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
    table_->setItem(row, 0, item);
    auto* style = new QComboBox(table_);
    style->addItem(tr("filled"));
    style->addItem(tr("outline"));
    style->setCurrentIndex(c.value == explained ? 0 : 1);
    connect(style, &QComboBox::currentIndexChanged, this, [this, item] { apply(item->row()); });
    table_->setCellWidget(row, 1, style);
  }
  // As tall as its rows: the panel around it scrolls.
  int height = table_->horizontalHeader()->sizeHint().height() + 2 * table_->frameWidth();
  for (int row = 0; row < table_->rowCount(); ++row) height += table_->rowHeight(row);
  table_->setFixedHeight(height);
  setVisible(table_->rowCount() > 0);
  {
    const QSignalBlocker once(this);  // one classesChanged for the whole legend
    for (int row = 0; row < table_->rowCount(); ++row) apply(row);
  }
  Q_EMIT classesChanged();
}

void LabelLegend::apply(int row) {
  const QTableWidgetItem* item = table_->item(row, 0);
  const auto* style = qobject_cast<const QComboBox*>(table_->cellWidget(row, 1));
  if (!item || !style) return;
  sliceModel_->setLabelStyle(item->data(Qt::UserRole).toInt(), item->checkState() != Qt::Checked ? LabelStyle::Hidden
                                                               : style->currentIndex() == 0      ? LabelStyle::Filled
                                                                                                 : LabelStyle::Outline);
  Q_EMIT classesChanged();
}

std::vector<LabelLegend::Row> LabelLegend::rows() const {
  std::vector<Row> out;
  for (int row = 0; row < table_->rowCount(); ++row) {
    const QTableWidgetItem* item = table_->item(row, 0);
    const QColor colour = item->data(Qt::UserRole + 1).value<QColor>();
    out.push_back({item->data(Qt::UserRole).toInt(),
                   item->text(),
                   {std::uint8_t(colour.red()), std::uint8_t(colour.green()), std::uint8_t(colour.blue())},
                   item->checkState() == Qt::Checked,
                   qobject_cast<const QComboBox*>(table_->cellWidget(row, 1))->currentIndex() == 0});
  }
  return out;
}

void LabelLegend::setClassVisible(int value, bool visible) {
  for (int row = 0; row < table_->rowCount(); ++row)
    if (table_->item(row, 0)->data(Qt::UserRole).toInt() == value)
      table_->item(row, 0)->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
}

}  // namespace voxplain::ui
