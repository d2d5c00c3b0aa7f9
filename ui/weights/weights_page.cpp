#include "ui/weights/weights_page.h"

#include "core/formats/demo_model.h"
#include "core/formats/model_summary.h"
#include "core/formats/weights_loader.h"
#include "ui/model_session.h"
#include "ui/weights/model_summary_panel.h"
#include "ui/weights/tensor_statistics_view.h"
#include "ui/weights/weights_tree.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace cstudio::ui {
namespace {
const QString kRecentKey = QStringLiteral("weights/recentFiles");
constexpr int kMaxRecent = 8;
}  // namespace

WeightsPage::WeightsPage(ModelSession* session, QWidget* parent) : QWidget(parent), session_(session)
{
    pool_.setMaxThreadCount(1);
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);

    auto* bar = new QHBoxLayout;
    auto* openButton = new QPushButton(tr("Open…"), this);
    openButton->setToolTip(tr("Open a .safetensors, .gguf, .npy or .npz file, or a sharded model's index.json (Ctrl+O)"));
    auto* folderButton = new QPushButton(tr("Open Folder…"), this);
    folderButton->setToolTip(tr("Open a folder of safetensors shards"));
    auto* demoButton = new QPushButton(tr("Demo Model"), this);
    demoButton->setToolTip(tr("The built-in 30 M-parameter demo model: 8 layers of width 512, σ = 0.02 weights with rare ×6 outliers"));
    auto* recentButton = new QToolButton(this);
    recentButton->setText(tr("Recent"));
    recentButton->setPopupMode(QToolButton::InstantPopup);
    recentMenu_ = new QMenu(tr("Open &Recent"), this);
    recentButton->setMenu(recentMenu_);
    connect(openButton, &QPushButton::clicked, this, &WeightsPage::chooseFile);
    connect(folderButton, &QPushButton::clicked, this, &WeightsPage::chooseFolder);
    connect(demoButton, &QPushButton::clicked, this, [this] { openPath(kDemoModelPath); });
    title_ = new QLabel(tr("Drop a weights file or folder here"), this);
    title_->setObjectName(QStringLiteral("weightsTitle"));
    QFont titleFont = title_->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    titleFont.setBold(true);
    title_->setFont(titleFont);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    progress_ = new QProgressBar(this);
    progress_->setObjectName(QStringLiteral("loadProgress"));
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(220);
    progress_->hide();
    cancelButton_ = new QPushButton(tr("Cancel"), this);
    cancelButton_->setObjectName(QStringLiteral("cancelLoadButton"));
    cancelButton_->hide();
    connect(cancelButton_, &QPushButton::clicked, this, &WeightsPage::cancelLoading);
    for (QWidget* widget : std::initializer_list<QWidget*>{openButton, folderButton, demoButton, recentButton})
        bar->addWidget(widget);
    bar->addSpacing(12);
    bar->addWidget(title_, 1);
    bar->addWidget(progress_);
    bar->addWidget(cancelButton_);
    layout->addLayout(bar);
    message_ = new QLabel(this);
    message_->setObjectName(QStringLiteral("weightsMessage"));
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(message_);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    tree_ = new WeightsTree(splitter);
    auto* right = new QSplitter(Qt::Vertical, splitter);
    summary_ = new ModelSummaryPanel(right);
    statistics_ = new TensorStatisticsView(right);
    right->setStretchFactor(0, 0);
    right->setStretchFactor(1, 1);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({640, 560});  // the tree shows every column in the default window
    layout->addWidget(splitter, 1);

    connect(tree_, &WeightsTree::tensorSelected, this, [this](int index) { statistics_->showTensor(model_, index); });
    connect(summary_, &ModelSummaryPanel::useInBudgetClicked, this, [this] {
        const ModelSummary& s = summary_->summary();
        Q_EMIT useInBudgetRequested(title_->text(), s.parameters, s.layerCount, s.hiddenSize);
    });
    updateRecentMenu();
    // The studio opens with something to look at.
    QTimer::singleShot(0, this, [this] {
        if (!session_->model() && !loading_ && !model_)
            openPath(kDemoModelPath);
    });
}

WeightsPage::~WeightsPage()
{
    if (cancel_)
        cancel_->store(true);
    pool_.waitForDone();
}

void WeightsPage::addFileActions(QMenu* fileMenu)
{
    QAction* first = fileMenu->actions().value(0);
    auto* open = new QAction(tr("&Open Weights…"), fileMenu);
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, [this] {
        Q_EMIT showRequested();
        chooseFile();
    });
    auto* folder = new QAction(tr("Open &Folder…"), fileMenu);
    connect(folder, &QAction::triggered, this, [this] {
        Q_EMIT showRequested();
        chooseFolder();
    });
    auto* demo = new QAction(tr("Open &Demo Model"), fileMenu);
    connect(demo, &QAction::triggered, this, [this] {
        Q_EMIT showRequested();
        openPath(kDemoModelPath);
    });
    fileMenu->insertActions(first, {open, folder, demo});
    fileMenu->insertMenu(first, recentMenu_);
}

void WeightsPage::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open weights"), QSettings().value(QStringLiteral("weights/lastFolder")).toString(),
                                                      weightsFileFilter());
    if (!path.isEmpty())
        openPath(path);
}

void WeightsPage::chooseFolder()
{
    const QString path = QFileDialog::getExistingDirectory(this, tr("Open a folder of safetensors shards"),
                                                           QSettings().value(QStringLiteral("weights/lastFolder")).toString());
    if (!path.isEmpty())
        openPath(path);
}

void WeightsPage::openPath(const QString& path)
{
    cancelLoading();
    const quint64 generation = ++generation_;
    cancel_ = std::make_shared<std::atomic_bool>(false);
    loading_ = true;
    loadingPath_ = path;
    progress_->setValue(0);
    progress_->show();
    cancelButton_->show();
    message_->setText(tr("Opening %1…").arg(path == kDemoModelPath ? tr("the demo model") : path));
    auto cancel = cancel_;
    pool_.start([this, path, generation, cancel] {
        JobControl job;
        job.cancelRequested = cancel.get();
        job.onProgress = [this, generation](double fraction, const QString& what) {
            QMetaObject::invokeMethod(this, [this, generation, fraction, what] {
                if (generation != generation_)
                    return;
                progress_->setValue(int(fraction * 1000));
                message_->setText(what);
            }, Qt::QueuedConnection);
        };
        auto result = openWeights(path, job);
        QMetaObject::invokeMethod(this, [this, generation, path, result] { finishLoading(generation, path, result); },
                                  Qt::QueuedConnection);
    });
}

void WeightsPage::cancelLoading()
{
    if (!loading_)
        return;
    if (cancel_)
        cancel_->store(true);
    ++generation_;  // whatever the worker returns now is ignored
    loading_ = false;
    progress_->hide();
    cancelButton_->hide();
    message_->setText(tr("Loading cancelled."));
}

void WeightsPage::finishLoading(quint64 generation, const QString& path, const Result<std::shared_ptr<TensorSource>>& result)
{
    if (generation != generation_)
        return;
    loading_ = false;
    progress_->hide();
    cancelButton_->hide();
    if (!result) {
        message_->setText(tr("<b>Could not open the weights.</b> %1").arg(result.error().toString().toHtmlEscaped()));
        Q_EMIT loadFinished(false, result.error().toString());
        return;
    }
    showModel(path, result.value());
    Q_EMIT loadFinished(true, QString());
}

void WeightsPage::showModel(const QString& path, std::shared_ptr<const TensorSource> model)
{
    model_ = std::move(model);
    modelPath_ = path;
    const ModelSummary summary = summarizeModel(*model_);
    title_->setText(path == kDemoModelPath ? tr("Demo model") : QFileInfo(path).fileName());
    title_->setToolTip(model_->displayName());
    message_->setText(tr("%1 tensors, %2 parameters, %3. Select a tensor to see its distribution.")
                          .arg(summary.tensorCount).arg(formatCount(summary.parameters), formatBytes(summary.bytes)));
    tree_->showModel(model_.get());
    summary_->showSummary(summary, model_->metadata());
    statistics_->clear();
    session_->setModel(model_);
    if (path != kDemoModelPath)
        rememberRecent(path);
    // Show something straight away: the first decodable weight matrix.
    const auto& tensors = model_->tensors();
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (tensors[i].decodable && tensors[i].shape.size() == 2 && tensors[i].layer >= 0) {
            tree_->selectTensor(int(i));
            break;
        }
    }
}

void WeightsPage::rememberRecent(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList recent = recentFiles();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings settings;
    settings.setValue(kRecentKey, recent);
    settings.setValue(QStringLiteral("weights/lastFolder"), QFileInfo(absolute).absolutePath());
    updateRecentMenu();
}

QStringList WeightsPage::recentFiles() const
{
    return QSettings().value(kRecentKey).toStringList();
}

void WeightsPage::updateRecentMenu()
{
    recentMenu_->clear();
    const QStringList recent = recentFiles();
    for (const QString& path : recent)
        recentMenu_->addAction(QFileInfo(path).fileName(), this, [this, path] {
            Q_EMIT showRequested();
            openPath(path);
        })->setToolTip(path);
    if (recent.isEmpty())
        recentMenu_->addAction(tr("(none yet)"))->setEnabled(false);
    else {
        recentMenu_->addSeparator();
        recentMenu_->addAction(tr("Clear list"), this, [this] {
            QSettings().remove(kRecentKey);
            updateRecentMenu();
        });
    }
    recentMenu_->setToolTipsVisible(true);
}

void WeightsPage::dragEnterEvent(QDragEnterEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void WeightsPage::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) {
        openPath(urls.first().toLocalFile());
        event->acceptProposedAction();
    }
}

}  // namespace cstudio::ui
