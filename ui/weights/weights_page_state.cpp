// The Weights page's part in sessions and lessons (ui/studio_page.h): which model is open and
// which tensor is selected. Opening is asynchronous, so a restored tensor selection waits for
// the model to finish loading.
#include "core/formats/demo_model.h"
#include "ui/weights/tensor_statistics_view.h"
#include "ui/weights/weights_page.h"
#include "ui/weights/weights_tree.h"
#include "ui/widgets/chart_title_fit.h"

#include <QChart>
#include <QChartView>
#include <QFileInfo>
#include <QTreeWidgetItem>

namespace cstudio::ui {
namespace {
const QString kDemoKey = QStringLiteral("demo");

// Selects the tensor named `name` in `model`; false when there is none.
bool selectTensorNamed(WeightsTree* tree, const TensorSource* model, const QString& name)
{
    if (!model)
        return false;
    const auto& tensors = model->tensors();
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (tensors[i].name == name)
            return tree->selectTensor(static_cast<int>(i));
    }
    return false;
}
}  // namespace

QJsonObject WeightsPage::saveState() const
{
    QJsonObject state;
    const QString path = loading_ ? loadingPath_ : modelPath_;
    if (!path.isEmpty())
        state.insert(QStringLiteral("model"), path == kDemoModelPath ? kDemoKey : QFileInfo(path).absoluteFilePath());
    if (!loading_ && model_ && tree_->currentItem()) {
        bool ok = false;
        const int index = tree_->currentItem()->data(0, WeightsTree::kTensorIndexRole).toInt(&ok);
        if (ok && index >= 0 && index < static_cast<int>(model_->tensors().size()))
            state.insert(QStringLiteral("tensor"), model_->tensors()[index].name);
    }
    return state;
}

void WeightsPage::restoreState(const QJsonObject& state, QStringList* warnings)
{
    const QString tensor = state.value(QStringLiteral("tensor")).toString();
    if (state.contains(QStringLiteral("model"))) {
        const QString wanted = state.value(QStringLiteral("model")).toString();
        const QString path = wanted == kDemoKey ? kDemoModelPath : wanted;
        const QString current = loading_ ? loadingPath_ : modelPath_;
        const bool same = path == kDemoModelPath ? current == kDemoModelPath
                                                 : !current.isEmpty() && QFileInfo(current).absoluteFilePath() == QFileInfo(path).absoluteFilePath();
        if (path != kDemoModelPath && !QFileInfo::exists(path)) {
            warnings->append(tr("the model file %1 no longer exists; the page keeps %2")
                                 .arg(path, current.isEmpty() ? tr("no model") : current == kDemoModelPath ? tr("the demo model") : current));
            return;
        }
        if (!same)
            openPath(path);
    }
    if (tensor.isEmpty())
        return;
    if (loading_) {
        connect(this, &WeightsPage::loadFinished, this, [this, tensor](bool ok) {
            if (ok)
                selectTensorNamed(tree_, model_.get(), tensor);
        }, Qt::SingleShotConnection);
    } else if (!selectTensorNamed(tree_, model_.get(), tensor)) {
        warnings->append(tr("the model has no tensor named \"%1\"").arg(tensor));
    }
}

QList<ExportableChart> WeightsPage::exportableCharts() const
{
    QList<ExportableChart> charts;
    for (QChartView* view : statistics_->findChildren<QChartView*>()) {
        if (view->chart())
            charts.append({fittedChartTitle(view->chart()).isEmpty() ? tr("Weight histogram") : fittedChartTitle(view->chart()), view});
    }
    return charts;
}

}  // namespace cstudio::ui
