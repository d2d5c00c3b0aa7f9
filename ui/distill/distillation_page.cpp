#include "ui/distill/distillation_page.h"

#include "ui/distill/playground_panel.h"
#include "ui/distill/temperature_explorer_panel.h"

#include <QTabWidget>
#include <QVBoxLayout>

namespace cstudio::ui {

DistillationPage::DistillationPage(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    tabs_ = new QTabWidget(this);
    tabs_->setObjectName(QStringLiteral("distillationTabs"));
    explorer_ = new TemperatureExplorerPanel(tabs_);
    playground_ = new PlaygroundPanel(tabs_);
    tabs_->addTab(explorer_, tr("Temperature explorer"));
    tabs_->setTabToolTip(0, tr("A teacher's softmax at temperature \u03c4: probabilities, entropy, and the losses "
                               "and gradient a student would get."));
    tabs_->addTab(playground_, tr("Playground: train a student"));
    tabs_->setTabToolTip(1, tr("Train a small student on the UCI digits from hard labels and from a teacher's soft "
                               "labels, side by side."));
    layout->addWidget(tabs_);
    temperatureTable_ = new ReportTableModel(this);
}

}  // namespace cstudio::ui
