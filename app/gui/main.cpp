// voxplain: the desktop application. Thin: format, application, window, arguments.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>

#include "MainWindow.h"
#include "VtkView.h"

#ifndef VOXPLAIN_DEMO_DIR
#define VOXPLAIN_DEMO_DIR ""
#endif
#ifndef VOXPLAIN_DEMO_MODEL
#define VOXPLAIN_DEMO_MODEL ""
#endif
#ifndef VOXPLAIN_ICON
#define VOXPLAIN_ICON ""
#endif

namespace {
// The demo installed beside the executable (<prefix>/share/voxplain/demo), else the build tree's.
QString demoFile(const char* name, const char* buildTreePath) {
  const QDir installed(QCoreApplication::applicationDirPath() + "/../share/voxplain/demo");
  if (installed.exists(name)) return QDir::cleanPath(installed.filePath(name));
  return QString::fromUtf8(buildTreePath);
}

void describeOptions(QCommandLineParser& parser) {
  parser.setApplicationDescription("Explains 3D medical image segmentation models");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addOption({"demo", "Open the bundled demo study (brain MRI with white-matter lesions) and model."});
  parser.addOption({"screenshot", "Save a screenshot to <file> once the study is shown, then quit.", "file"});
  parser.addOption({"labels", "Label map to overlay (NIfTI).", "file"});
  parser.addOption({"heatmap", "Attribution map to overlay, one per modality in order (repeatable).", "file"});
  parser.addOption({"reference", "Reference segmentation for TP/FP in the instance table (NIfTI).", "file"});
  parser.addOption({"model",
                    "Model to open: a manifest, a TorchScript file, a MONAI bundle or an nnU-Net v2 results folder.",
                    "model"});
  parser.addOption(
      {"explain", "Once the study and the model are open, explain with <method> (e.g. gradcam).", "method"});
  parser.addOption({"param", "Parameters of --explain, key=value (repeatable).", "key=value"});
  parser.addOption(
      {"repeat", "Run --explain <n> times in a row, printing a line as each is shown (tools/soak_app.py).", "n", "1"});
  parser.addOption({"session", "Open a saved session (.voxplain).", "file"});
  parser.addOption({"timeout", "With --screenshot: give up after <seconds> (default 900).", "seconds", "900"});
  parser.addPositionalArgument("images", "NIfTI files or DICOM folders, one per modality (or one .voxplain session).");
}

// --help and --version print and quit: they must work without a display (QApplication needs one).
bool onlyPrints(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const QByteArray arg(argv[i]);
    if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-?" || arg == "-v" || arg == "--version")
      return true;
  }
  return false;
}
}  // namespace

int main(int argc, char** argv) {
  // VTK 9.1 needs GLX: on Wayland run through XWayland (shared/feasibility, pitfall 7).
  if (qEnvironmentVariableIsSet("WAYLAND_DISPLAY") && !qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "xcb");
  if (onlyPrints(argc, argv)) {
    QCoreApplication info(argc, argv);
    QCoreApplication::setApplicationName("voxplain");
    QCoreApplication::setApplicationVersion(VOXPLAIN_VERSION);
    QCommandLineParser parser;
    describeOptions(parser);
    parser.process(info);  // prints and exits
    return 0;
  }
  voxplain::render::VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  QApplication::setApplicationName("Voxplain");
  QApplication::setApplicationVersion(VOXPLAIN_VERSION);
  QApplication::setOrganizationName("Voxplain");
  QApplication::setDesktopFileName("org.voxplain.Voxplain");
  QApplication::setWindowIcon(QIcon::fromTheme("voxplain", QIcon(QString::fromUtf8(VOXPLAIN_ICON))));

  QCommandLineParser parser;
  describeOptions(parser);
  parser.process(app);

  QStringList images = parser.positionalArguments();
  QString labels = parser.value("labels"), model = parser.value("model"), method = parser.value("explain");
  QString reference = parser.value("reference");
  QStringList heatmaps = parser.values("heatmap");
  QString params = parser.values("param").join(' ');
  QString session = parser.value("session");
  if (images.size() == 1 && images.front().endsWith(".voxplain")) session = images.takeFirst();
  if (parser.isSet("demo")) {
    // The demo: the realistic brain study (synthetic/BrainLesionPhantom.h) and the brain model, which
    // explains its own segmentation, computed on this machine; the generated lesions are the reference.
    const QDir demo(QFileInfo(demoFile("demo_flair.nii.gz", VOXPLAIN_DEMO_DIR "/demo_flair.nii.gz")).absolutePath());
    images = {demo.filePath("demo_flair.nii.gz"), demo.filePath("demo_t1.nii.gz")};
    model = demoFile("brain_unet.json", VOXPLAIN_DEMO_MODEL);
    if (reference.isEmpty()) reference = demo.filePath("demo_lesions.nii.gz");  // the generator's ground truth
    // Integrated Gradients with 8 steps of the lesion class: a faithful map (completeness) in under a
    // minute on 2 CPU cores.
    if (method.isEmpty()) {
      method = "integrated_gradients";
      if (params.isEmpty()) params = "steps=8";
    }
  }
  voxplain::ui::MainWindow window;
  window.setDemoModel(demoFile("brain_unet.json", VOXPLAIN_DEMO_MODEL));
  if (!parser.isSet("screenshot")) window.restoreLayout();  // screenshots keep the default layout
  window.show();
  if (parser.isSet("screenshot")) {
    const QString file = parser.value("screenshot");
    QObject::connect(&window, &voxplain::ui::MainWindow::everythingShown, &window, [&window, file] {
      QTimer::singleShot(500, &window, [&window, file] {
        if (!window.grab().save(file)) {
          qCritical("%s: cannot write the screenshot", qPrintable(file));
          QApplication::exit(2);
          return;
        }
        QApplication::exit(0);
      });
    });
    QObject::connect(&window, &voxplain::ui::MainWindow::loadFailed, &window, [](const QString& m) {
      qCritical("%s", qPrintable(m));
      QApplication::exit(2);
    });
    const int seconds = parser.value("timeout").toInt();
    QTimer::singleShot(std::max(1, seconds) * 1000, &window, [seconds] {
      qCritical("nothing was shown within %d s: no screenshot written", seconds);
      QApplication::exit(3);
    });
  }
  const int repeat = std::max(1, parser.value("repeat").toInt());
  if (repeat > 1) {
    auto shown = std::make_shared<int>(0);
    QObject::connect(&window, &voxplain::ui::MainWindow::explanationShown, &window, [&window, shown, repeat](int) {
      std::printf("explanation %d of %d shown\n", ++*shown, repeat);
      std::fflush(stdout);
      if (*shown < repeat) window.queueExplanation();
    });
  }
  if (parser.isSet("demo")) {
    // Tissue classes under the lesions: labels at 30 % so the anatomy shows through; the 3D view
    // is clipped at the cursor (on the largest lesion) and shows only FLAIR's brightest voxels.
    window.applyViewState(
        {{"controls", {{"labelOpacity", 30}, {"rampLow", 99}, {"rampHigh", 100}, {"rampOpacity", 60}}}});
  }
  if (!session.isEmpty()) {
    QObject::connect(&window, &voxplain::ui::MainWindow::sessionRestored, &window,
                     &voxplain::ui::MainWindow::everythingShown);
    window.openSession(session);
    return app.exec();
  }
  if (!model.isEmpty()) window.openModel(model);
  window.openReference(reference);
  if (!method.isEmpty()) window.explainWhenReady(method, params);
  window.openStudy(images, labels, heatmaps);
  return app.exec();
}
