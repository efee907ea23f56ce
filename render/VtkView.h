#pragma once
// VtkView: a QOpenGLWidget that hosts a vtkGenericOpenGLRenderWindow (Qt 6 + VTK 9.1 without
// Debian's Qt 5-built GUISupportQt), following the pattern of VTK's QVTKOpenGLNativeWidget.
//
// Rules learned on this platform (shared/feasibility/README.md, section 1):
//  - VTK renders into its own framebuffers (NoBlit); paintGL() blits them into Qt's FBO and sets
//    alpha to 1 (Mesa leaves 0 and the widget composes black).
//  - VTK's "make current" callback makes Qt's context current on its own surface, never through
//    QOpenGLWidget::makeCurrent() (that rebinds Qt's FBO behind VTK's state cache: black/garbage).
//  - The interactor never renders by itself; it asks for update() and rendering happens in paintGL.
//  - Call VtkView::setDefaultSurfaceFormat() before constructing QApplication.

#include <vtkNew.h>
#include <vtkSmartPointer.h>
#include <QOpenGLWidget>

class QSurface;
class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkRenderer;
class vtkInteractorObserver;

namespace voxplain::render {

class VtkView : public QOpenGLWidget {
  Q_OBJECT
 public:
  explicit VtkView(QWidget* parent = nullptr);
  ~VtkView() override;

  /// OpenGL 3.2 core, RGBA8, depth 24, no multisampling (volume rendering needs samples 0).
  static void setDefaultSurfaceFormat();

  vtkRenderer* renderer() const;
  /// On (the default): frames get a time budget (1/8 s) and volume rendering coarsens its sampling
  /// when it would overrun it (software OpenGL); off: every still frame at full resolution
  /// (reproducible images, e.g. for baseline comparisons).
  void setFrameBudget(bool on);
  vtkGenericOpenGLRenderWindow* renderWindow() const;
  vtkGenericRenderWindowInteractor* interactor() const;
  /// Replaces the interaction style (trackball camera by default).
  void setInteractorStyle(vtkInteractorObserver* style);
  /// Schedules a repaint (never renders outside paintGL).
  void requestRender() { update(); }
  /// Renders now and returns the widget's pixels (for screenshots and tests).
  QImage grabImage();
  /// Renders the scene once into VTK's own framebuffers at `pixels` (not the widget's size, not a
  /// screen grab) with text scaled by `textScale` (VTK's DPI 72 x textScale) and every frame at full
  /// quality, then restores the on-screen size. For figures at a chosen DPI: pass the widget's size
  /// times dpi / 96 and textScale = dpi / 96 to keep the on-screen proportions. Each side is capped at
  /// 8192 px. Returns a null image when the view has no OpenGL context yet (never shown).
  QImage renderOffscreen(const QSize& pixels, double textScale);

 protected:
  void initializeGL() override;
  void resizeGL(int w, int h) override;
  void paintGL() override;
  void mousePressEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;
  void keyReleaseEvent(QKeyEvent* e) override;
  void enterEvent(QEnterEvent* e) override;
  void leaveEvent(QEvent* e) override;

 private:
  void forwardMouse(QMouseEvent* e, unsigned long vtkEvent);
  /// One VTK frame into its own framebuffers at the window's size (Qt's context current).
  void renderFrame();
  void onMakeCurrent();
  void finalizeGL();

  vtkSmartPointer<vtkGenericOpenGLRenderWindow> window_;
  vtkSmartPointer<vtkGenericRenderWindowInteractor> interactor_;
  vtkSmartPointer<vtkRenderer> renderer_;
  QSurface* surface_ = nullptr;
  unsigned long observerTags_[3] = {0, 0, 0};
  /// True inside paintGL: the frame VTK announces there is the one being painted, not a request for
  /// another (else every frame schedules the next: a window rendering flat out while idle).
  bool painting_ = false;
};

}  // namespace voxplain::render
