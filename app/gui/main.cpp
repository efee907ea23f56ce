// voxplain: the desktop application. Thin: format, application, window, arguments.
#include <map>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>

#include "MainWindow.h"
#include "model/ModelPackage.h"
#include "VtkView.h"

#ifndef VOXPLAIN_DEMO_DIR
#define VOXPLAIN_DEMO_DIR ""
#endif
#ifndef VOXPLAIN_DEMO_MODEL
#define VOXPLAIN_DEMO_MODEL ""
#endif

int main(int argc, char** argv) {
  // VTK 9.1 needs GLX: on Wayland run through XWayland (shared/feasibility, pitfall 7).
  if (qEnvironmentVariableIsSet("WAYLAND_DISPLAY") && !qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "xcb");
  voxplain::render::VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  QApplication::setApplicationName("Voxplain");
  QApplication::setApplicationVersion(VOXPLAIN_VERSION);
  QApplication::setOrganizationName("Voxplain");

  QCommandLineParser parser;
  parser.setApplicationDescription("Explains 3D medical image segmentation models");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addOption({"demo", "Open the bundled demo study."});
  parser.addOption({"screenshot", "Save a screenshot to <file> once the study is shown, then quit.", "file"});
  parser.addOption({"labels", "Label map to overlay (NIfTI).", "file"});
  parser.addOption({"heatmap", "Attribution map to overlay, one per modality in order (repeatable).", "file"});
  parser.addOption({"model", "Model manifest whose label colours the overlays use.", "manifest"});
  parser.addPositionalArgument("images", "NIfTI files or DICOM folders, one per modality.");
  parser.process(app);

  QStringList images = parser.positionalArguments();
  QString labels = parser.value("labels"), model = parser.value("model");
  QStringList heatmaps = parser.values("heatmap");
  if (parser.isSet("demo")) {
    const QDir demo(QString::fromUtf8(VOXPLAIN_DEMO_DIR));
    images = {demo.filePath("demo_flair.nii.gz"), demo.filePath("demo_t1.nii.gz")};
    labels = demo.filePath("demo_lesions.nii.gz");
    heatmaps = {demo.filePath("maps/integrated_gradients_FLAIR.nii.gz"), demo.filePath("maps/integrated_gradients_T1.nii.gz")};
    model = QString::fromUtf8(VOXPLAIN_DEMO_MODEL);
  }
  voxplain::ui::MainWindow window;
  if (!model.isEmpty()) {
    try {
      std::vector<voxplain::render::LabelColor> colors;
      std::map<int, std::string> names;
      for (const voxplain::LabelInfo& l : voxplain::ModelPackage::open(model.toStdString()).manifest().labels) {
        names[l.value] = l.name;
        if (l.value > 0) colors.push_back({l.value, {std::uint8_t(l.color[0]), std::uint8_t(l.color[1]), std::uint8_t(l.color[2])}});
      }
      window.setLabelColors(colors);
      window.setLabelNames(names);
    } catch (const std::exception& e) {
      qWarning("%s: %s", qPrintable(model), e.what());
    }
  }
  window.show();
  if (parser.isSet("screenshot")) {
    const QString file = parser.value("screenshot");
    QObject::connect(&window, &voxplain::ui::MainWindow::everythingShown, &window, [&window, file] {
      QTimer::singleShot(500, &window, [&window, file] {
        window.grab().save(file);
        QApplication::exit(0);
      });
    });
    QObject::connect(&window, &voxplain::ui::MainWindow::loadFailed, &window, [](const QString& m) {
      qCritical("%s", qPrintable(m));
      QApplication::exit(2);
    });
  }
  window.openStudy(images, labels, heatmaps);
  return app.exec();
}
