#include "VtkView.h"

#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QSurfaceFormat>
#include <QWheelEvent>

#include <vtkCallbackCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkOpenGLState.h>
#include <vtkRenderer.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace voxplain::render {
namespace {
// GL constants without including vtk_glew.h next to Qt's GL headers (feasibility pitfall 5).
constexpr unsigned kGlDrawFramebuffer = 0x8CA9;
constexpr unsigned kGlColorAttachment0 = 0x8CE0;
constexpr unsigned kGlScissorTest = 0x0C11;
constexpr unsigned kGlColorBufferBit = 0x00004000;
constexpr unsigned kGlLinear = 0x2601;
constexpr unsigned kGlLequal = 0x0203;
}  // namespace

void VtkView::setDefaultSurfaceFormat() {
  QSurfaceFormat format;
  format.setRenderableType(QSurfaceFormat::OpenGL);
  format.setVersion(3, 2);
  format.setProfile(QSurfaceFormat::CoreProfile);
  format.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  format.setRedBufferSize(8);
  format.setGreenBufferSize(8);
  format.setBlueBufferSize(8);
  format.setAlphaBufferSize(8);
  format.setDepthBufferSize(24);
  format.setStencilBufferSize(0);
  format.setSamples(0);
  QSurfaceFormat::setDefaultFormat(format);
}

VtkView::VtkView(QWidget* parent) : QOpenGLWidget(parent) {
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);
  window_ = vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New();
  window_->SetReadyForRendering(false);
  window_->SetFrameBlitModeToNoBlit();
  window_->SetOwnContext(0);
  window_->SetMultiSamples(0);
  renderer_ = vtkSmartPointer<vtkRenderer>::New();
  window_->AddRenderer(renderer_);

  auto makeCurrent = vtkSmartPointer<vtkCallbackCommand>::New();
  makeCurrent->SetClientData(this);
  makeCurrent->SetCallback(
      [](vtkObject*, unsigned long, void* self, void*) { static_cast<VtkView*>(self)->onMakeCurrent(); });
  observerTags_[0] = window_->AddObserver(vtkCommand::WindowMakeCurrentEvent, makeCurrent);
  auto isCurrent = vtkSmartPointer<vtkCallbackCommand>::New();
  isCurrent->SetClientData(this);
  isCurrent->SetCallback([](vtkObject*, unsigned long, void* self, void* callData) {
    auto* view = static_cast<VtkView*>(self);
    *static_cast<bool*>(callData) = view->context() && QOpenGLContext::currentContext() == view->context();
  });
  observerTags_[1] = window_->AddObserver(vtkCommand::WindowIsCurrentEvent, isCurrent);
  // VTK asks for a new frame (a frame ended, the interactor changed the camera): schedule a
  // paintGL, unless the request comes from the paintGL being drawn.
  const auto redraw = [](vtkObject*, unsigned long, void* self, void*) {
    auto* view = static_cast<VtkView*>(self);
    if (!view->painting_) view->update();
  };
  auto frame = vtkSmartPointer<vtkCallbackCommand>::New();
  frame->SetClientData(this);
  frame->SetCallback(redraw);
  observerTags_[2] = window_->AddObserver(vtkCommand::WindowFrameEvent, frame);

  interactor_ = vtkSmartPointer<vtkGenericRenderWindowInteractor>::New();
  interactor_->SetRenderWindow(window_);
  interactor_->EnableRenderOff();  // renders happen in paintGL only
  setFrameBudget(true);
  auto render = vtkSmartPointer<vtkCallbackCommand>::New();
  render->SetClientData(this);
  render->SetCallback(redraw);
  interactor_->AddObserver(vtkCommand::RenderEvent, render);
  setInteractorStyle(vtkSmartPointer<vtkInteractorStyleTrackballCamera>::New());
  interactor_->Initialize();
}

VtkView::~VtkView() {
  makeCurrent();
  finalizeGL();
  doneCurrent();
  for (unsigned long tag : observerTags_) window_->RemoveObserver(tag);
}

void VtkView::setFrameBudget(bool on) {
  // A frame budget of 1/8 s, still or interacting: the GPU volume mapper (auto-adjusted sample
  // distances) then coarsens its image sampling only when a frame would take longer. On a hardware
  // GPU frames take milliseconds and nothing changes; under software OpenGL (Xvfb, remote
  // desktops) the GUI thread no longer waits seconds for one full-resolution frame. Off: VTK's
  // defaults (still frames at full resolution whatever they cost).
  interactor_->SetStillUpdateRate(on ? 8.0 : 0.0001);
  interactor_->SetDesiredUpdateRate(15.0);
  window_->SetDesiredUpdateRate(on ? 8.0 : 0.0001);
}

vtkRenderer* VtkView::renderer() const {
  return renderer_;
}
vtkGenericOpenGLRenderWindow* VtkView::renderWindow() const {
  return window_;
}
vtkGenericRenderWindowInteractor* VtkView::interactor() const {
  return interactor_;
}

void VtkView::setInteractorStyle(vtkInteractorObserver* style) {
  interactor_->SetInteractorStyle(style);
}

void VtkView::onMakeCurrent() {
  if (context() && surface_ && QOpenGLContext::currentContext() != context()) context()->makeCurrent(surface_);
}

void VtkView::initializeGL() {
  surface_ = context()->surface();
  window_->SetReadyForRendering(true);
  window_->SetOwnContext(0);
  window_->OpenGLInitContext();
  connect(
      context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] { finalizeGL(); }, Qt::DirectConnection);
}

void VtkView::finalizeGL() {
  if (window_ && window_->GetReadyForRendering()) {
    window_->Finalize();
    window_->SetReadyForRendering(false);
  }
}

void VtkView::resizeGL(int w, int h) {
  const double dpr = devicePixelRatioF();
  const int pw = int(w * dpr), ph = int(h * dpr);
  window_->SetSize(pw, ph);
  interactor_->UpdateSize(pw, ph);
}

void VtkView::renderFrame() {
  vtkOpenGLState* state = window_->GetState();
  state->Reset();
  state->Push();
  state->vtkglDepthFunc(kGlLequal);
  painting_ = true;
  window_->Render();
  painting_ = false;
  state->Pop();
}

void VtkView::paintGL() {
  if (!window_->GetReadyForRendering()) return;
  const double dpr = devicePixelRatioF();
  const int w = int(width() * dpr), h = int(height() * dpr);
  if (window_->GetSize()[0] != w || window_->GetSize()[1] != h) window_->SetSize(w, h);
  renderFrame();

  QOpenGLExtraFunctions* gl = context()->extraFunctions();
  gl->glBindFramebuffer(kGlDrawFramebuffer, defaultFramebufferObject());
  const unsigned buffers[1] = {kGlColorAttachment0};
  gl->glDrawBuffers(1, buffers);
  gl->glDisable(kGlScissorTest);
  window_->BlitDisplayFramebuffer(0, 0, 0, w, h, 0, 0, w, h, kGlColorBufferBit, kGlLinear);
  gl->glColorMask(false, false, false, true);
  gl->glClearColor(0, 0, 0, 1);
  gl->glClear(kGlColorBufferBit);
  gl->glColorMask(true, true, true, true);
  window_->GetState()->Reset();
}

QImage VtkView::grabImage() {
  return grabFramebuffer();
}

QImage VtkView::renderOffscreen(const QSize& pixels, double textScale) {
  if (!context() || !surface_ || !window_->GetReadyForRendering() || pixels.isEmpty()) return {};
  const int w = std::min(pixels.width(), 8192), h = std::min(pixels.height(), 8192);
  context()->makeCurrent(surface_);
  const int oldWidth = window_->GetSize()[0], oldHeight = window_->GetSize()[1];
  const int oldDpi = window_->GetDPI();
  const double oldRate = window_->GetDesiredUpdateRate();
  window_->SetSize(w, h);
  window_->SetDPI(std::max(1, int(std::lround(72.0 * textScale))));
  window_->SetDesiredUpdateRate(0.0001);  // full quality: no coarsened volume sampling in a figure
  renderFrame();
  // The frame is in VTK's display framebuffer ("front"), which paintGL blits to the widget.
  auto pixelsRgba = vtkSmartPointer<vtkUnsignedCharArray>::New();
  window_->GetRGBACharPixelData(0, 0, w - 1, h - 1, 1, pixelsRgba);
  QImage image(w, h, QImage::Format_RGBA8888);
  if (pixelsRgba->GetNumberOfTuples() == vtkIdType(w) * h) {
    // OpenGL rows run bottom to top; alpha is forced opaque (Mesa leaves 0, see paintGL).
    const unsigned char* source = pixelsRgba->GetPointer(0);
    for (int y = 0; y < h; ++y) {
      unsigned char* row = image.scanLine(h - 1 - y);
      std::memcpy(row, source + std::size_t(y) * std::size_t(w) * 4, std::size_t(w) * 4);
      for (int x = 0; x < w; ++x) row[4 * x + 3] = 255;
    }
  } else {
    image = QImage();
  }
  window_->SetSize(oldWidth, oldHeight);
  window_->SetDPI(oldDpi);
  window_->SetDesiredUpdateRate(oldRate);
  window_->GetState()->Reset();
  update();  // the widget's next frame at its own size again
  return image.convertToFormat(QImage::Format_RGB32);
}

void VtkView::forwardMouse(QMouseEvent* e, unsigned long vtkEvent) {
  const double dpr = devicePixelRatioF();
  const QPointF p = e->position();
  interactor_->SetEventInformationFlipY(
      int(p.x() * dpr), int(p.y() * dpr), (e->modifiers() & Qt::ControlModifier) ? 1 : 0,
      (e->modifiers() & Qt::ShiftModifier) ? 1 : 0, 0, e->type() == QEvent::MouseButtonDblClick ? 1 : 0);
  interactor_->InvokeEvent(vtkEvent, e);
}

void VtkView::mousePressEvent(QMouseEvent* e) {
  switch (e->button()) {
    case Qt::LeftButton:
      forwardMouse(e, vtkCommand::LeftButtonPressEvent);
      break;
    case Qt::MiddleButton:
      forwardMouse(e, vtkCommand::MiddleButtonPressEvent);
      break;
    case Qt::RightButton:
      forwardMouse(e, vtkCommand::RightButtonPressEvent);
      break;
    default:
      break;
  }
}

void VtkView::mouseReleaseEvent(QMouseEvent* e) {
  switch (e->button()) {
    case Qt::LeftButton:
      forwardMouse(e, vtkCommand::LeftButtonReleaseEvent);
      break;
    case Qt::MiddleButton:
      forwardMouse(e, vtkCommand::MiddleButtonReleaseEvent);
      break;
    case Qt::RightButton:
      forwardMouse(e, vtkCommand::RightButtonReleaseEvent);
      break;
    default:
      break;
  }
}

void VtkView::mouseMoveEvent(QMouseEvent* e) {
  forwardMouse(e, vtkCommand::MouseMoveEvent);
}

void VtkView::wheelEvent(QWheelEvent* e) {
  const double dpr = devicePixelRatioF();
  const QPointF p = e->position();
  interactor_->SetEventInformationFlipY(int(p.x() * dpr), int(p.y() * dpr),
                                        (e->modifiers() & Qt::ControlModifier) ? 1 : 0,
                                        (e->modifiers() & Qt::ShiftModifier) ? 1 : 0);
  const int delta = e->angleDelta().y();
  if (delta > 0)
    interactor_->InvokeEvent(vtkCommand::MouseWheelForwardEvent, e);
  else if (delta < 0)
    interactor_->InvokeEvent(vtkCommand::MouseWheelBackwardEvent, e);
  e->accept();
}

void VtkView::keyPressEvent(QKeyEvent* e) {
  const QByteArray text = e->text().toLatin1();
  interactor_->SetKeyEventInformation((e->modifiers() & Qt::ControlModifier) ? 1 : 0,
                                      (e->modifiers() & Qt::ShiftModifier) ? 1 : 0, text.isEmpty() ? 0 : text[0], 1,
                                      text.isEmpty() ? nullptr : text.constData());
  interactor_->InvokeEvent(vtkCommand::KeyPressEvent, e);
  if (!text.isEmpty()) interactor_->InvokeEvent(vtkCommand::CharEvent, e);
}

void VtkView::keyReleaseEvent(QKeyEvent* e) {
  interactor_->InvokeEvent(vtkCommand::KeyReleaseEvent, e);
}
void VtkView::enterEvent(QEnterEvent* e) {
  interactor_->InvokeEvent(vtkCommand::EnterEvent, e);
}
void VtkView::leaveEvent(QEvent* e) {
  interactor_->InvokeEvent(vtkCommand::LeaveEvent, e);
}

}  // namespace voxplain::render
