#include "ui/main_window.h"

#include "core/analysis/analysis_engine.h"

#include "ui/budget/budget_page.h"
#include "ui/distill/distillation_page.h"
#include "ui/model_session.h"
#include "ui/quantlab/quantlab_page.h"
#include "ui/studio_page.h"
#include "ui/weights/weights_page.h"
#include "ui/workshop/workshop_controller.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QLabel>
#include <QStatusBar>

namespace cstudio::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), modelSession_(new ModelSession(this))
{
    setWindowTitle(QStringLiteral("Compression Studio"));
    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    pageList_ = new QListWidget(central);
    pageList_->setObjectName(QStringLiteral("pageList"));
    pageList_->setFixedWidth(150);
    pageList_->setFrameShape(QFrame::NoFrame);
    pageList_->setSpacing(2);
    QFont listFont = pageList_->font();
    listFont.setPointSizeF(listFont.pointSizeF() * 1.15);
    pageList_->setFont(listFont);

    pageStack_ = new QStackedWidget;
    // A page wider or taller than the window (a small screen, presentation mode's large fonts)
    // scrolls instead of pushing the Lessons dock off the screen.
    auto* pageScroll = new QScrollArea(central);
    pageScroll->setObjectName(QStringLiteral("pageScroll"));
    pageScroll->setWidget(pageStack_);
    pageScroll->setWidgetResizable(true);
    pageScroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(pageList_);
    layout->addWidget(pageScroll, 1);
    setCentralWidget(central);
    connect(pageList_, &QListWidget::currentRowChanged, pageStack_, &QStackedWidget::setCurrentIndex);

    createPages();
    createMenus();
    workshop_ = new WorkshopController(this);  // lessons, presentation mode, sessions, exports
    statusBar()->showMessage(tr("Ready"));
    showAnalysisEngine();
    restoreLayout();
}

void MainWindow::showAnalysisEngine()
{
    // Which engine a quantization analysis will run on: the GPU when one is present.
    auto engine = createAnalysisEngine();
    auto* label = new QLabel(engine ? tr("Analysis engine: %1").arg(engine.value()->deviceName()) : tr("Analysis engine: none"), this);
    label->setObjectName(QStringLiteral("analysisEngineLabel"));
    label->setToolTip(tr("Quantization analyses run on this engine. Available: %1. The CLI picks one with --device cpu|cuda.")
                          .arg(availableAnalysisEngines().join(QStringLiteral(", "))));
    statusBar()->addPermanentWidget(label);
}

void MainWindow::addPage(const QString& title, const QString& description, QWidget* page)
{
    page->setObjectName(title);
    pageStack_->addWidget(page);
    auto* item = new QListWidgetItem(title, pageList_);
    item->setToolTip(description);
    item->setSizeHint(QSize(140, 40));
}

void MainWindow::createPages()
{
    // Pages are added here in the order a user meets them.
    addPage(tr("Budget"), tr("Drag the bit width and see the hardware bill: memory, GPUs, KV cache, speed and cost"),
            new BudgetPage);
    addPage(tr("Weights"), tr("Open a model's weights (safetensors, GGUF, NumPy): tensors by layer and role, "
                              "a summary, and any tensor's distribution"),
            new WeightsPage(modelSession_, pageStack_));
    auto* quantLab = new QuantLabPage(modelSession_, pageStack_);
    addPage(tr("Quant Lab"), tr("What each quantization scheme does to the weights: error by layer, role and group, the "
                                "bit-width sweep, and a mixed-precision plan"),
            quantLab);
    connect(quantLab, &QuantLabPage::useBitsInBudget, this, [this](double bits) {
        if (auto* budget = qobject_cast<BudgetPage*>(page(tr("Budget")))) {
            budget->setBits(bits);
            showPage(tr("Budget"));
        }
    });
    addPage(tr("Distillation"),
            tr("Seeing dark knowledge: a teacher's softmax across temperatures, the student losses, and a live "
               "playground that trains a student from hard vs soft labels"),
            new DistillationPage(this));
}

namespace {

// "Quant Lab", "quant lab", "quantlab" and "quant-lab" name the same page (command line, lessons)
QString pageKey(const QString& name)
{
    QString key;
    for (const QChar c : name)
        if (c.isLetterOrNumber())
            key.append(c.toLower());
    return key;
}

}  // namespace

bool MainWindow::showPage(const QString& title)
{
    for (int row = 0; row < pageList_->count(); ++row) {
        if (pageKey(pageList_->item(row)->text()) == pageKey(title)) {
            pageList_->setCurrentRow(row);
            return true;
        }
    }
    return false;
}

QWidget* MainWindow::page(const QString& title) const
{
    return pageStack_->findChild<QWidget*>(title, Qt::FindDirectChildrenOnly);
}

StudioPage* MainWindow::studioPage(const QString& title) const
{
    return dynamic_cast<StudioPage*>(page(title));
}

QList<QPair<QString, StudioPage*>> MainWindow::studioPages() const
{
    QList<QPair<QString, StudioPage*>> pages;
    for (const QString& title : pageTitles()) {
        if (StudioPage* studio = studioPage(title))
            pages.append({title, studio});
    }
    return pages;
}

QString MainWindow::currentPageTitle() const
{
    return pageList_->currentItem() ? pageList_->currentItem()->text() : QString();
}

QStringList MainWindow::pageTitles() const
{
    QStringList titles;
    for (int row = 0; row < pageList_->count(); ++row)
        titles.append(pageList_->item(row)->text());
    return titles;
}

void MainWindow::createMenus()
{
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->setObjectName(QStringLiteral("fileMenu"));
    fileMenu->addSeparator();
    if (auto* weights = qobject_cast<WeightsPage*>(page(QStringLiteral("Weights")))) {
        weights->addFileActions(fileMenu);
        // Opening from the menu shows the page the model opens on.
        connect(weights, &WeightsPage::showRequested, this, [this] { showPage(QStringLiteral("Weights")); });
        connect(weights, &WeightsPage::loadFinished, this, [this](bool ok) {
            if (ok)
                statusBar()->showMessage(tr("Model loaded"), 4000);
        });
        // "Use in Budget": the loaded model becomes the Budget page's custom model.
        if (auto* budget = qobject_cast<BudgetPage*>(page(QStringLiteral("Budget")))) {
            connect(weights, &WeightsPage::useInBudgetRequested, this,
                    [this, budget](const QString& name, qint64 parameters, int layers, qint64) {
                        budget->setCustomModel(name, double(parameters), 0, layers);
                        showPage(QStringLiteral("Budget"));
                    });
        }
    }
    QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->setObjectName(QStringLiteral("viewMenu"));
    for (int row = 0; row < pageList_->count(); ++row) {
        const QString title = pageList_->item(row)->text();
        QAction* show = viewMenu->addAction(title, this, [this, row] { pageList_->setCurrentRow(row); });
        if (row < 9)
            show->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + row)));
    }

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About Compression Studio"), this, [this] {
        QMessageBox::about(this, tr("About Compression Studio"),
                           tr("<h3>Compression Studio %1</h3>"
                              "<p>See what quantization and distillation do to a model: its memory, "
                              "its speed, its cost and its error.</p>"
                              "<p>Memory and GPU figures follow the formulas of the seed texts: "
                              "weights = parameters &times; bits / 8; GPUs = ceil(memory &times; "
                              "(1 + overhead) / GPU memory). 1 GB = 10<sup>9</sup> bytes.</p>")
                               .arg(QApplication::applicationVersion()));
    });
    helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1400, 900);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    pageList_->setCurrentRow(qBound(0, settings.value(QStringLiteral("window/page"), 0).toInt(),
                                    qMax(0, pageList_->count() - 1)));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/page"), pageList_->currentRow());
    event->accept();
}

}  // namespace cstudio::ui
