// MainWindow's figures: File > Export figure (the whole window, the 3D view, a slice pane or the
// analysis charts, drawn by FigureExport.h). The window itself is in MainWindow.cpp.
#include <QFileInfo>
#include <QMessageBox>
#include <QStatusBar>

#include "AnalysisPanel.h"
#include "FigureExportDialog.h"
#include "LabelLegend.h"
#include "LayerControls.h"
#include "MainWindow.h"
#include "SlicePanel.h"
#include "SliceView.h"
#include "SliceViewModel.h"
#include "VtkView.h"

#include <vtkImageData.h>

namespace voxplain::ui {
namespace {
const char* const kWholeWindow = QT_TRANSLATE_NOOP("MainWindow", "Whole window");
const char* const k3dView = QT_TRANSLATE_NOOP("MainWindow", "3D view");
const char* const kCharts = QT_TRANSLATE_NOOP("MainWindow", "Analysis charts");
}  // namespace

QString MainWindow::paneSubject(int modality, int orientation) const {
  return QString("%1 %2").arg(sliceModel_->modalityName(modality), SlicePanel::orientationName(orientation));
}

QStringList MainWindow::figureSubjects() const {
  // Views with room on screen only: a view is drawn at its size on screen times the figure's scale.
  const auto shown = [](const QWidget* w) { return w->isVisible() && !w->size().isEmpty(); };
  QStringList subjects{tr(kWholeWindow)};
  if (shown(view_)) subjects << tr(k3dView);
  const std::vector<render::SliceView*>& panes = slicePanel_->views();
  for (int m = 0; m < sliceModel_->modalityCount() && std::size_t(m * 3 + 2) < panes.size(); ++m)
    for (int o = 0; o < 3; ++o)
      if (shown(panes[std::size_t(m * 3 + o)])) subjects << paneSubject(m, o);
  if (analysis_->isVisible() || !analysis_->modalitySummary().isEmpty()) subjects << tr(kCharts);
  return subjects;
}

QString MainWindow::figureCaption() const {
  QString caption = analysis_->caption();
  if (caption.isEmpty()) return caption;
  const render::HeatmapStyle& style = sliceModel_->heatmapStyle();
  if (sliceModel_->heatmapsShown() && sliceModel_->heatmap(0))
    caption += tr(". Colour: %1 over %2%3 to %4 (%5; under %6 % of the range transparent)")
                   .arg(QString::fromStdString(style.colormap))
                   .arg(style.signedMap ? "-" : "")
                   .arg(style.signedMap ? style.range : 0.0, 0, 'g', 3)
                   .arg(style.range, 0, 'g', 3)
                   .arg(QString::fromStdString(style.units))
                   .arg(style.threshold * 100, 0, 'g', 3);
  return caption;
}

std::vector<FigureLegendEntry> MainWindow::figureLegend() const {
  std::vector<FigureLegendEntry> legend;
  if (!sliceModel_->labels(2) || sliceModel_->labelOpacity() <= 0) return legend;
  for (const LabelLegend::Row& row : layerControls_->legend()->rows())
    if (row.visible)
      legend.push_back(
          {row.name, QColor(row.rgb[0], row.rgb[1], row.rgb[2]), !row.filled || sliceModel_->labelOutline()});
  return legend;
}

QString MainWindow::exportFigure(const QString& subject, const QString& file, const FigureOptions& options,
                                 bool replace) {
  if (file.isEmpty()) return tr("no file chosen");
  if (!replace && QFileInfo::exists(file)) return tr("%1 exists (not replaced)").arg(QFileInfo(file).fileName());
  if (subject == tr(kWholeWindow)) return exportLayout(this, file, options);
  if (subject == tr(k3dView)) return exportView(view_, file, options);
  if (subject == tr(kCharts)) return analysis_->saveCharts(file, options.dpi);
  const std::vector<render::SliceView*>& panes = slicePanel_->views();
  for (int m = 0; m < sliceModel_->modalityCount() && std::size_t(m * 3 + 2) < panes.size(); ++m)
    for (int o = 0; o < 3; ++o)
      if (subject == paneSubject(m, o)) return exportView(panes[std::size_t(m * 3 + o)], file, options);
  return tr("\"%1\" is not shown: nothing to draw").arg(subject);
}

void MainWindow::chooseFigureExport() {
  FigureExportDialog dialog(figureSubjects(), figureCaption(), lastFolder("figure"), this);
  if (dialog.exec() != QDialog::Accepted) return;
  const QString file = dialog.file();
  bool replace = false;
  if (QFileInfo::exists(file)) {
    if (QMessageBox::question(this, tr("Export figure"),
                              tr("%1 exists. Replace it?").arg(QFileInfo(file).fileName())) != QMessageBox::Yes)
      return;
    replace = true;
  }
  rememberFolder("figure", file);
  FigureOptions options = dialog.options();
  if (dialog.subject() != tr(kCharts)) options.legend = figureLegend();
  const QString error = exportFigure(dialog.subject(), file, options, replace);
  if (error.isEmpty())
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(file).fileName()), 8000);
  else
    warn(tr("Export figure"), error);
}

}  // namespace voxplain::ui
