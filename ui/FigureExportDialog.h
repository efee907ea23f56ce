#pragma once
// File > Export figure: what to draw (the whole window, the 3D view, one slice pane, the analysis
// charts), the file (its suffix picks PNG, SVG or PDF), the resolution and the caption (proposed
// from the run shown: model, method, parameters, target, colour range; editable). It computes
// nothing: MainWindow::exportFigure draws the choice.

#include <QDialog>
#include <QStringList>

#include "FigureExport.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QDialogButtonBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
QT_END_NAMESPACE

namespace voxplain::ui {

class FigureExportDialog : public QDialog {
  Q_OBJECT
 public:
  /// `subjects`: what can be drawn, by name (MainWindow::figureSubjects); `caption`: the proposal;
  /// `folder`: where the file goes by default.
  FigureExportDialog(const QStringList& subjects, const QString& caption, const QString& folder,
                     QWidget* parent = nullptr);
  QString subject() const;
  QString file() const;
  FigureOptions options() const;
  /// Tests: set every choice.
  void choose(const QString& subject, const QString& file, int dpi, const QString& caption);

 private:
  void validate();
  QComboBox* subject_ = nullptr;
  QLineEdit* file_ = nullptr;
  QSpinBox* dpi_ = nullptr;
  QPlainTextEdit* caption_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace voxplain::ui
