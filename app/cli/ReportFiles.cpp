#include "ReportFiles.h"

#include <cstdio>

#include "io/AtomicFile.h"
#include "task/InputError.h"

#ifdef VOXPLAIN_HAS_QT_SVG
#include <QGuiApplication>

#include "SvgFigure.h"
#endif

namespace voxplain::cli {
namespace fs = std::filesystem;

void writeTextFile(const fs::path& dir, const std::string& name, const std::string& text) {
  fs::create_directories(dir);
  writeTextAtomically(dir / name, text, Overwrite::Allow);
}

bool pngFiguresAvailable() {
#ifdef VOXPLAIN_HAS_QT_SVG
  return true;
#else
  return false;
#endif
}

void writeFigure(const fs::path& dir, const std::string& stem, const std::string& svg) {
  writeTextFile(dir, stem + ".svg", svg);
  writePngOfSvg(dir / (stem + ".svg"));
}

void writePngOfSvg(const fs::path& svgFile) {
#ifdef VOXPLAIN_HAS_QT_SVG
  // Text needs a QGuiApplication; the offscreen platform needs no display (batch nodes).
  static int argc = 1;
  static char name[] = "voxplain-cli";
  static char* argv[] = {name, nullptr};
  if (!QGuiApplication::instance()) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    // Qt is only the figure renderer here: its start-up chatter (XDG_RUNTIME_DIR not set, ...) is
    // not the user's business; critical messages still reach stderr.
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
      if (type == QtCriticalMsg || type == QtFatalMsg) std::fprintf(stderr, "Qt: %s\n", qPrintable(message));
    });
    static QGuiApplication app(argc, argv);
  }
  const QString error = ui::writePngOfSvg(QString::fromStdString(svgFile.string()), ui::kDefaultFigureDpi);
  if (!error.isEmpty()) throw InputError(svgFile.string(), error.toStdString());
#else
  (void)svgFile;
#endif
}

}  // namespace voxplain::cli
