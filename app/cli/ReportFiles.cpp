#include "ReportFiles.h"

#include <cstdio>

#include "io/AtomicFile.h"
#include "task/InputError.h"

#ifdef VOXPLAIN_HAS_QT_SVG
#include <QByteArray>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
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
  QSvgRenderer renderer(QString::fromStdString(svgFile.string()));
  if (!renderer.isValid()) throw InputError(svgFile.string(), "the SVG does not parse");
  QImage image(renderer.defaultSize() * 2, QImage::Format_ARGB32);
  image.fill(Qt::white);
  {
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
  }
  fs::path png = svgFile;
  png.replace_extension(".png");
  writeAtomically(png, Overwrite::Allow, [&](const fs::path& temp) {
    if (!image.save(QString::fromStdString(temp.string()), "PNG")) throw InputError(png.string(), "could not be written");
  });
#else
  (void)svgFile;
#endif
}


}  // namespace voxplain::cli
