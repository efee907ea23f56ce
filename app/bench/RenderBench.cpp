// voxplain-render-bench: frame times of the 3D view (GPU ray casting, camera orbiting) and of a
// slice view with label and attribution overlays (stepping through slices) for a size^3 volume.
// Each frame is rendered and read back (grabImage), so the figure is an upper bound of what
// interaction costs. Prints JSON; figures go to docs/benchmarks.md, never into test assertions.
//
//   voxplain-render-bench [--size 256] [--frames 40] [--width 800] [--height 800]
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QTest>

#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "ImageDataBridge.h"
#include "SliceView.h"
#include "VolumeScene.h"
#include "synthetic/LesionPhantom.h"
#include "volume/Reorient.h"

namespace {
nlohmann::json summary(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (double m : ms) sum += m;
  return {{"frames", ms.size()},
          {"mean_ms", sum / double(ms.size())},
          {"median_ms", ms[ms.size() / 2]},
          {"p90_ms", ms[std::size_t(0.9 * double(ms.size() - 1))]}};
}
// Frame times of `frames` renders (each after `change(i)`), rendered and read back.
nlohmann::json timeFrames(voxplain::render::VtkView& view, int frames, const std::function<void(int)>& change) {
  std::vector<double> ms;
  for (int i = 0; i < frames; ++i) {
    change(i);
    QElapsedTimer t;
    t.start();
    view.grabImage();
    ms.push_back(double(t.nsecsElapsed()) / 1e6);
  }
  return summary(ms);
}
}  // namespace

int main(int argc, char** argv) {
  voxplain::render::VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  QCommandLineParser parser;
  parser.addHelpOption();
  parser.addOption({"size", "Volume edge (voxels).", "n", "256"});
  parser.addOption({"frames", "Frames per view.", "n", "40"});
  parser.addOption({"width", "View width (pixels).", "n", "800"});
  parser.addOption({"height", "View height (pixels).", "n", "800"});
  parser.process(app);
  const int size = parser.value("size").toInt(), frames = parser.value("frames").toInt();
  const int width = parser.value("width").toInt(), height = parser.value("height").toInt();
  if (size < 16 || frames < 2 || width < 64 || height < 64) {
    std::cerr << "voxplain-render-bench: --size >= 16, --frames >= 2, views >= 64 pixels\n";
    return 1;
  }
  voxplain::LesionPhantomOptions options;
  options.size = {std::size_t(size), std::size_t(size), std::size_t(size)};
  const voxplain::LesionPhantom phantom = voxplain::makeLesionPhantom(options);
  nlohmann::json report = {{"volume", {size, size, size}}, {"view", {width, height}}};

  {
    voxplain::render::VtkView view;
    view.resize(width, height);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view)) return 2;
    voxplain::render::VolumeScene scene;
    scene.attach(view.renderer(), view.interactor());
    scene.setVolume(phantom.flair);
    scene.setLabels(phantom.lesions, {{1, {230, 70, 50}}});
    view.grabImage();  // first frame: texture upload and shader compilation
    auto orbit = [&](int) { view.renderer()->GetActiveCamera()->Azimuth(360.0 / frames); };
    report["view3d"] = timeFrames(view, frames, orbit);
    // While the user drags, VTK asks for 15 frames/s and the mapper coarsens its sampling.
    view.renderWindow()->SetDesiredUpdateRate(15.0);
    report["view3d_interactive"] = timeFrames(view, frames, orbit);
    const char* renderer = reinterpret_cast<const char*>(
        QOpenGLContext::currentContext() ? QOpenGLContext::currentContext()->functions()->glGetString(GL_RENDERER)
                                         : nullptr);
    report["gl_renderer"] = renderer ? renderer : "unknown";
  }
  {
    voxplain::render::SliceView view(voxplain::render::SliceOrientation::Axial);
    view.resize(width, height);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view)) return 2;
    view.setBase(voxplain::render::toVtkImage(voxplain::orientToLps(phantom.flair)), 800, 400);
    view.setLabels(voxplain::render::toVtkImage(voxplain::orientToLps(phantom.lesions)), {{1, {230, 70, 50}}}, 0.5);
    voxplain::render::HeatmapStyle style;
    style.range = 500;
    view.setHeatmap(voxplain::render::toVtkImage(voxplain::orientToLps(phantom.t1)), style);
    view.grabImage();
    auto cursor = view.cursor();
    report["slice_view"] = timeFrames(view, frames, [&](int i) {
      cursor[2] += (i % 2 ? -1.0 : 1.0) * (i % 7);
      view.setCursor(cursor);
    });
  }
  std::cout << report.dump(1) << "\n";
  return 0;
}
