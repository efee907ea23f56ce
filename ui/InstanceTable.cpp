#include "InstanceTable.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "InstanceScatter.h"

namespace voxplain::ui {
namespace {
// A cell that sorts by its number, not by its text.
QTableWidgetItem* numberItem(double value, int decimals) {
  auto* item = new QTableWidgetItem;
  item->setData(Qt::DisplayRole,
                decimals < 0 ? QVariant(qlonglong(value)) : QVariant(QString::number(value, 'f', decimals).toDouble()));
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  item->setFlags(item->flags() & ~Qt::ItemIsEditable);
  return item;
}
}  // namespace

InstanceTable::InstanceTable(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  summary_ = new QLabel(tr("Run \"Instances\" to explain every predicted lesion on its own"), this);
  summary_->setObjectName("instanceSummary");
  summary_->setWordWrap(true);
  layout->addWidget(summary_);
  table_ = new QTableWidget(this);
  table_->setObjectName("instanceTable");
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  // The header and three rows (with the scroll bar) stay visible beside the scatter: on a short
  // screen the dock scrolls instead of squeezing the table to one row.
  table_->setMinimumHeight(table_->horizontalHeader()->sizeHint().height() +
                           3 * table_->verticalHeader()->defaultSectionSize() +
                           table_->horizontalScrollBar()->sizeHint().height() + 2 * table_->frameWidth());
  scatter_ = new InstanceScatter(this);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(table_);
  split->addWidget(scatter_);
  layout->addWidget(split, 1);
  connect(scatter_, &InstanceScatter::instanceActivated, this, &InstanceTable::instanceActivated);
  connect(table_, &QTableWidget::cellClicked, this, [this](int row, int) {
    const int id = table_->item(row, 0)->data(Qt::DisplayRole).toInt();
    for (const InstanceStats& s : instances_)
      if (s.id == id) Q_EMIT instanceActivated(id, s.centroidMm);
  });
}

void InstanceTable::showReport(const InstanceReport& report, const QString& title) {
  instances_ = report.instances;
  QStringList headers{tr("id"), tr("volume_mm3"), tr("mean_probability")};
  for (const std::string& m : report.modalities) {
    const QString name = QString::fromStdString(m);
    headers << name + " peak" << name + " inside" << name + " ring" << name + " share";
  }
  if (report.hasReference) headers << tr("match") << tr("dice");
  table_->setSortingEnabled(false);
  table_->clear();
  table_->setColumnCount(int(headers.size()));
  table_->setHorizontalHeaderLabels(headers);
  table_->setRowCount(int(report.instances.size()));
  for (int row = 0; row < int(report.instances.size()); ++row) {
    const InstanceStats& s = report.instances[std::size_t(row)];
    int column = 0;
    table_->setItem(row, column++, numberItem(s.id, -1));
    table_->setItem(row, column++, numberItem(s.volumeMm3, 1));
    table_->setItem(row, column++, numberItem(s.meanProbability, 3));
    for (const ModalityInstanceStats& m : s.modalities) {
      table_->setItem(row, column++, numberItem(m.peak, 4));
      table_->setItem(row, column++, numberItem(m.insideMean, 4));
      table_->setItem(row, column++, numberItem(m.ringMean, 4));
      table_->setItem(row, column++, numberItem(m.share, 3));
    }
    if (report.hasReference) {
      auto* match = new QTableWidgetItem(QString::fromStdString(s.match));
      match->setForeground(s.match == "TP" ? QColor(20, 130, 60) : QColor(200, 40, 40));
      table_->setItem(row, column++, match);
      table_->setItem(row, column++, numberItem(s.dice, 3));
    }
  }
  table_->setSortingEnabled(true);
  table_->sortByColumn(1, Qt::DescendingOrder);  // largest first
  QString text = tr("%1: %n instance(s)", nullptr, int(report.instances.size())).arg(title);
  if (report.hasReference) {
    text += tr("; %1 missed (false negatives)").arg(report.falseNegatives);
    if (report.aucPeakTpVsFp >= 0) text += tr("; ROC AUC of peak |A| TP vs FP %1").arg(report.aucPeakTpVsFp, 0, 'f', 2);
  }
  summary_->setText(text + tr(". Click a row or a point to show that instance's own map."));
  scatter_->showReport(report);
}

void InstanceTable::clear() {
  instances_.clear();
  scatter_->clear();
  table_->clear();
  table_->setRowCount(0);
  table_->setColumnCount(0);
}

int InstanceTable::rowCount() const {
  return table_->rowCount();
}

QString InstanceTable::cell(int row, const QString& header) const {
  for (int c = 0; c < table_->columnCount(); ++c)
    if (table_->horizontalHeaderItem(c)->text() == header) return table_->item(row, c)->text();
  return {};
}

bool InstanceTable::activateLargest() {
  if (instances_.empty()) return false;
  const auto largest =
      std::max_element(instances_.begin(), instances_.end(),
                       [](const InstanceStats& a, const InstanceStats& b) { return a.voxels < b.voxels; });
  for (int row = 0; row < table_->rowCount(); ++row)
    if (cell(row, "id").toInt() == largest->id) table_->selectRow(row);
  Q_EMIT instanceActivated(largest->id, largest->centroidMm);
  return true;
}

}  // namespace voxplain::ui
