#pragma once
// The Weights page: open a model (menu, drag and drop, recent files, or the built-in demo),
// browse its tensors by layer and role, read its summary, see any tensor's distribution, and
// hand its size to the Budget page. Loading runs on a worker thread with progress and Cancel;
// the loaded model goes into the shared ModelSession for the other pages.
#include "core/formats/tensor_source.h"
#include "ui/studio_page.h"

#include <QStringList>
#include <QThreadPool>
#include <QWidget>
#include <atomic>
#include <memory>

class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;

namespace cstudio::ui {

class ModelSession;
class ModelSummaryPanel;
class TensorStatisticsView;
class WeightsTree;

class WeightsPage : public QWidget, public StudioPage {
    Q_OBJECT
public:
    explicit WeightsPage(ModelSession* session, QWidget* parent = nullptr);
    ~WeightsPage() override;

    // Starts loading `path` (a file, a folder, or kDemoModelPath) on a worker thread.
    void openPath(const QString& path);
    void cancelLoading();
    bool isLoading() const { return loading_; }
    // File-menu actions: Open…, Open Folder…, Open Demo Model, Open Recent.
    void addFileActions(QMenu* fileMenu);
    QStringList recentFiles() const;

    WeightsTree* tree() const { return tree_; }
    TensorStatisticsView* statisticsView() const { return statistics_; }
    ModelSummaryPanel* summaryPanel() const { return summary_; }

    // StudioPage (ui/weights/weights_page_state.cpp): "model" (a path, or "demo" for the
    // built-in model) and "tensor" (the selected tensor's name). A model file that no longer
    // exists is a warning; the rest of the session is still restored.
    QJsonObject saveState() const override;
    void restoreState(const QJsonObject& state, QStringList* warnings) override;
    QList<ExportableChart> exportableCharts() const override;

Q_SIGNALS:
    // The user asked to size this model on the Budget page.
    void useInBudgetRequested(const QString& name, qint64 totalParameters, int layers, qint64 hiddenSize);
    void loadFinished(bool ok, const QString& message);
    // A File-menu action of this page was used: the window should bring the page forward.
    void showRequested();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void chooseFile();
    void chooseFolder();
    void finishLoading(quint64 generation, const QString& path, const Result<std::shared_ptr<TensorSource>>& result);
    void showModel(const QString& path, std::shared_ptr<const TensorSource> model);
    void rememberRecent(const QString& path);
    void updateRecentMenu();

    ModelSession* session_;
    std::shared_ptr<const TensorSource> model_;
    QThreadPool pool_;
    std::shared_ptr<std::atomic_bool> cancel_;
    quint64 generation_ = 0;
    bool loading_ = false;
    QString modelPath_;    // what model_ was opened from
    QString loadingPath_;  // what is being opened while loading_

    QLabel* title_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QLabel* message_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    WeightsTree* tree_ = nullptr;
    ModelSummaryPanel* summary_ = nullptr;
    TensorStatisticsView* statistics_ = nullptr;
};

}  // namespace cstudio::ui
