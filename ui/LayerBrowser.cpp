#include "LayerBrowser.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace voxplain::ui {
namespace {
constexpr int kChannelsRole = Qt::UserRole + 1;  // the layer's output channels
}

LayerBrowser::LayerBrowser(QWidget* parent) : QWidget(parent) {
  auto* form = new QFormLayout(this);
  info_ = new QLabel(tr("Open a model to browse what its layers compute."), this);
  info_->setWordWrap(true);
  form->addRow(info_);
  layer_ = new QComboBox(this);
  layer_->setObjectName("layerCombo");
  layer_->setToolTip(tr("A layer of the model: its type and number of output channels"));
  form->addRow(tr("Layer"), layer_);
  channel_ = new QSpinBox(this);
  channel_->setObjectName("channelSpin");
  channel_->setSpecialValueText(tr("mean |activation|"));
  channel_->setToolTip(
      tr("A channel of the layer's output, or (lowest value) the mean |activation| over its channels"));
  auto* row = new QHBoxLayout;
  previous_ = new QPushButton(tr("<"), this);
  previous_->setObjectName("previousChannelButton");
  next_ = new QPushButton(tr(">"), this);
  next_->setObjectName("nextChannelButton");
  for (QPushButton* b : {previous_, next_}) b->setMaximumWidth(32);
  row->addWidget(previous_);
  row->addWidget(channel_, 1);
  row->addWidget(next_);
  form->addRow(tr("Channel"), row);
  show_ = new QPushButton(tr("Show activation"), this);
  show_->setObjectName("showActivationButton");
  form->addRow(show_);
  connect(layer_, &QComboBox::currentIndexChanged, this, &LayerBrowser::updateChannelRange);
  connect(show_, &QPushButton::clicked, this,
          [this] { Q_EMIT activationRequested(layer_->currentData().toString(), channel_->value()); });
  // Stepping shows the next channel at once: browsing is the point.
  connect(previous_, &QPushButton::clicked, this, [this] {
    channel_->stepDown();
    show_->click();
  });
  connect(next_, &QPushButton::clicked, this, [this] {
    channel_->stepUp();
    show_->click();
  });
  setReady(false);
}

void LayerBrowser::showModel(const ModelSummary& model) {
  layer_->clear();
  for (const ModelLayer& l : model.layers)
    if (l.channels > 0) {
      layer_->addItem(tr("%1 (%2, %n channel(s))", nullptr, l.channels).arg(l.name, l.type), l.name);
      layer_->setItemData(layer_->count() - 1, l.channels, kChannelsRole);
    }
  // Start on the first layer of a manifest group (the layers the CAM methods use).
  if (!model.layerGroups.isEmpty()) {
    const QString first = model.layerGroups.front().section(": ", 1).section(", ", 0, 0);
    const int index = layer_->findData(first);
    if (index >= 0) layer_->setCurrentIndex(index);
  }
  info_->setText(layer_->count() > 0 ? tr("%n layer(s) of %1", nullptr, layer_->count()).arg(model.name)
                                     : tr("No layer of %1 could be reached by a dry run.").arg(model.name));
  updateChannelRange();
}

void LayerBrowser::setReady(bool ready) {
  for (QWidget* w : std::initializer_list<QWidget*>{show_, previous_, next_})
    w->setEnabled(ready && layer_->count() > 0);
}

bool LayerBrowser::select(const QString& layer, int channel) {
  const int index = layer_->findData(layer);
  if (index < 0) return false;
  layer_->setCurrentIndex(index);
  if (channel < channel_->minimum() || channel > channel_->maximum()) return false;
  channel_->setValue(channel);
  return true;
}

int LayerBrowser::layerCount() const {
  return layer_->count();
}

void LayerBrowser::updateChannelRange() {
  const int channels =
      layer_->currentIndex() >= 0 ? layer_->itemData(layer_->currentIndex(), kChannelsRole).toInt() : 0;
  channel_->setRange(-1, std::max(0, channels - 1));
}

}  // namespace voxplain::ui
