#include "ui/widgets/whole_entry_combo_box.h"

#include <QAbstractItemModel>
#include <QComboBox>
#include <QEvent>
#include <QPointer>

namespace cstudio::ui {
namespace {

class WholeEntries : public QObject {
public:
    explicit WholeEntries(QComboBox* combo) : QObject(combo), combo_(combo)
    {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        combo->installEventFilter(this);
        QAbstractItemModel* model = combo->model();
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(model, signal, this, &WholeEntries::schedule);
        connect(model, &QAbstractItemModel::dataChanged, this, &WholeEntries::schedule);
        connect(model, &QAbstractItemModel::modelReset, this, &WholeEntries::schedule);
        apply();
    }

    bool eventFilter(QObject* watched, QEvent* event) override
    {
        // The filter sees the font change before the combo box forgets its old size hint.
        if (watched == combo_ && (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange))
            schedule();
        return QObject::eventFilter(watched, event);
    }

private:
    void schedule()
    {
        if (pending_)
            return;
        pending_ = true;
        QMetaObject::invokeMethod(this, &WholeEntries::apply, Qt::QueuedConnection);
    }

    void apply()
    {
        pending_ = false;
        // With AdjustToContents the size hint is the longest entry's width, box and arrow included.
        const int width = combo_->sizeHint().width();
        if (combo_->minimumWidth() != width)
            combo_->setMinimumWidth(width);
    }

    QComboBox* combo_;
    bool pending_ = false;
};

}  // namespace

void keepEntriesWhole(QComboBox* combo) { new WholeEntries(combo); }

}  // namespace cstudio::ui
