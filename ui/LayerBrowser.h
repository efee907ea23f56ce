#pragma once
// The layer-activation browser: pick a layer of the model (every named submodule the forward pass
// reaches, with its type and channel count from a dry run) and a channel, and see that channel's
// feature map over the study (method "activations": not target-specific) in the panes; step
// through channels with the arrows. Each view is an ordinary job (queue, progress, cancel).

#include <QWidget>

#include "AnalysisJobs.h"

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
QT_END_NAMESPACE

namespace voxplain::ui {

class LayerBrowser : public QWidget {
  Q_OBJECT
 public:
  explicit LayerBrowser(QWidget* parent = nullptr);
  /// Lists the model's layers (those a dry run reached, i.e. with a known channel count).
  void showModel(const ModelSummary& model);
  void setReady(bool ready);
  /// Selects `layer` (a dotted path) and `channel` (-1: mean |activation| over channels); false when
  /// the layer is not listed or the channel is out of range.
  bool select(const QString& layer, int channel);
  int layerCount() const;

 Q_SIGNALS:
  /// Show this layer's channel (-1: mean |activation|).
  void activationRequested(const QString& layer, int channel);

 private:
  void updateChannelRange();
  QComboBox* layer_ = nullptr;
  QSpinBox* channel_ = nullptr;
  QPushButton* show_ = nullptr;
  QPushButton* previous_ = nullptr;
  QPushButton* next_ = nullptr;
  QLabel* info_ = nullptr;
};

}  // namespace voxplain::ui
