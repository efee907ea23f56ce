// voxplain: the desktop application. Thin: format, application, window, arguments.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>

#include "MainWindow.h"
#include "VtkView.h"

#ifndef VOXPLAIN_DEMO_DIR
#define VOXPLAIN_DEMO_DIR ""
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
  parser.addPositionalArgument("images", "NIfTI files or DICOM folders, one per modality.");
  parser.process(app);

  QStringList images = parser.positionalArguments();
  if (parser.isSet("demo")) {
    const QDir demo(QString::fromUtf8(VOXPLAIN_DEMO_DIR));
    images = {demo.filePath("demo_flair.nii.gz"), demo.filePath("demo_t1.nii.gz")};
  }
  voxplain::ui::MainWindow window;
  window.show();
  if (parser.isSet("screenshot")) {
    const QString file = parser.value("screenshot");
    QObject::connect(&window, &voxplain::ui::MainWindow::studyShown, &window, [&window, file] {
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
  window.openStudy(images);
  return app.exec();
}
