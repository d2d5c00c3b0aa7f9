#include "ui/quantlab/quantlab_page.h"

#include "core/formats/demo_model.h"
#include "core/report/quant_report_section.h"
#include "core/report/report_table_model.h"
#include "ui/distill/chart_style.h"
#include "ui/model_session.h"
#include "ui/quantlab/background_job.h"
#include "ui/quantlab/chart_legend_fit.h"
#include "ui/quantlab/error_heatmap.h"
#include "ui/quantlab/plan_panel.h"
#include "ui/quantlab/quantlab_format.h"
#include "ui/quantlab/scheme_picker.h"
#include "ui/quantlab/tensor_results_model.h"
#include "ui/widgets/whole_entry_combo_box.h"
#include "ui/widgets/width_adaptive_arrangement.h"
#include "ui/widgets/wrapping_field_grid.h"

#include <QCheckBox>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFontMetrics>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

namespace cstudio::ui {

namespace {

QLabel* caption(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    // Only the colour is set, through the palette (a style sheet would pin the font): the size
    // follows the application font, presentation mode's too.
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, QColor(0x50, 0x5a, 0x66));
    label->setPalette(palette);
    return label;
}

QChartView* chartView(QWidget* parent)
{
    auto* chart = new QChart;
    styleChart(chart);
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(320, 220);
    return view;
}

QWidget* panel(QWidget* parent, QWidget* body, QLabel* text, QWidget* header = nullptr)
{
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    if (header)
        layout->addWidget(header);
    layout->addWidget(body, 1);
    layout->addWidget(text);
    return box;
}

}  // namespace

QuantLabPage::QuantLabPage(ModelSession* session, QWidget* parent) : QWidget(parent), session_(session)
{
    analysisJob_ = new BackgroundJob(this);
    schemeReportTable_ = new ReportTableModel(this);
    layerReportTable_ = new ReportTableModel(this);
    sweepJob_ = new BackgroundJob(this);
    detailJob_ = new BackgroundJob(this);
    debounce_ = new QTimer(this);
    debounce_->setSingleShot(true);
    debounce_->setInterval(350);
    connect(debounce_, &QTimer::timeout, this, &QuantLabPage::runAnalysis);

    // The page scrolls rather than forcing its minimum size on the window (small screens, the
    // lessons dock beside it).
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    auto* content = new QWidget(scroll);
    scroll->setWidget(content);
    outer->addWidget(scroll);
    auto* layout = new QVBoxLayout(content);
    auto* controls = new WrappingFieldGrid(2, content);
    modelLabel_ = new QLabel(this);
    modelLabel_->setObjectName(QStringLiteral("modelLabel"));
    modelLabel_->setWordWrap(true);  // a long file name wraps rather than widening the page
    picker_ = new SchemePicker(this);
    schemeCombo_ = new QComboBox(this);
    schemeCombo_->setObjectName(QStringLiteral("schemeCombo"));
    schemeCombo_->setToolTip(tr("The scheme the heatmap and the group view show"));
    keepEntriesWhole(schemeCombo_);  // a long scheme name (int4:g128:mse) reads whole too
    tensorCombo_ = new QComboBox(this);
    tensorCombo_->setObjectName(QStringLiteral("tensorCombo"));
    tensorCombo_->setToolTip(tr("The selected tensor (also: click a heatmap cell, a layer bar or a table row)"));
    // Every tensor name reads whole (a projector's font too): where the bar has no room for
    // that beside the other fields, it puts one field to a row.
    keepEntriesWhole(tensorCombo_);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(true);
    progress_->setMinimumWidth(120);
    progress_->setMaximumWidth(210);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setEnabled(false);
    runInfo_ = new QLabel(this);
    runInfo_->setObjectName(QStringLiteral("runInfo"));
    runInfo_->setMinimumWidth(60);
    runInfo_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    runInfo_->setWordWrap(true);  // a narrow window or a projector's large font: two lines, not a cut line
    runInfo_->setToolTip(tr("Which analysis engine ran (CPU threads or a CUDA device) and the wall time of the last run"));
    auto* runRow = new QWidget(this);
    auto* runLayout = new QHBoxLayout(runRow);
    runLayout->setContentsMargins(0, 0, 0, 0);
    runLayout->addWidget(schemeCombo_);
    runLayout->addWidget(progress_);
    runLayout->addWidget(cancel_);
    runLayout->addWidget(runInfo_, 1);
    // Two fields to a row on a desktop; one to a row beside the Lessons dock or on a projector.
    controls->addField(new QLabel(tr("Model:"), this), modelLabel_);
    controls->addField(new QLabel(tr("Schemes:"), this), picker_);
    controls->addField(new QLabel(tr("Tensor:"), this), tensorCombo_);
    controls->addField(new QLabel(tr("Show scheme:"), this), runRow);
    layout->addWidget(controls);

    tabs_ = new QTabWidget(this);
    tabs_->addTab(buildOverviewTab(), tr("Overview"));
    tabs_->addTab(buildGroupsTab(), tr("Scales && groups"));
    tabs_->addTab(buildTableTab(), tr("Table"));
    plan_ = new PlanPanel(this);
    tabs_->addTab(plan_, tr("Mixed-precision plan"));
    layout->addWidget(tabs_, 1);

    connect(picker_, &SchemePicker::schemesChanged, this, &QuantLabPage::scheduleAnalysis);
    connect(schemeCombo_, &QComboBox::currentIndexChanged, this, &QuantLabPage::selectedSchemeChanged);
    connect(tensorCombo_, &QComboBox::activated, this, &QuantLabPage::selectTensor);
    connect(heatmap_, &ErrorHeatmap::tensorClicked, this, &QuantLabPage::selectTensor);
    connect(plan_, &PlanPanel::tensorClicked, this, [this](int index) { selectTensor(tensorPositionOfIndex(index)); });
    connect(plan_, &PlanPanel::useBitsInBudget, this, &QuantLabPage::useBitsInBudget);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        debounce_->stop();
        analysisJob_->cancel();
        sweepJob_->cancel();
        detailJob_->cancel();
    });
    connect(analysisJob_, &BackgroundJob::progress, this, [this](double fraction, const QString& message) {
        progress_->setValue(int(fraction * 1000));
        progress_->setFormat(QStringLiteral("%p% ") + message.left(40));
    });
    auto updateRunning = [this] {
        const bool running = analysisJob_->isRunning() || sweepJob_->isRunning();
        cancel_->setEnabled(running);
        if (!analysisJob_->isRunning())
            progress_->setFormat(QStringLiteral("%p%"));
    };
    connect(analysisJob_, &BackgroundJob::runningChanged, this, updateRunning);
    connect(sweepJob_, &BackgroundJob::runningChanged, this, updateRunning);
    if (session_)
        connect(session_, &ModelSession::modelChanged, this, &QuantLabPage::modelChanged);
    modelChanged();
}

QuantLabPage::~QuantLabPage() = default;

QWidget* QuantLabPage::buildOverviewTab()
{
    auto* tab = new QWidget(this);
    auto* rows = new QVBoxLayout(tab);
    rows->setContentsMargins(4, 4, 4, 4);
    auto* top = new QHBoxLayout;
    auto* bottom = new QHBoxLayout;
    rows->addLayout(top, 5);
    rows->addLayout(bottom, 4);

    heatmap_ = new ErrorHeatmap(tab);
    heatmap_->setObjectName(QStringLiteral("heatmap"));
    heatmapTitle_ = new QLabel(tr("Relative RMSE by layer and role"), tab);
    QFont bold;  // only the weight is set: the size stays inherited and grows with presentation mode's font
    bold.setBold(true);
    heatmapTitle_->setFont(bold);
    heatmapTitle_->setAlignment(Qt::AlignHCenter);
    top->addWidget(panel(tab, heatmap_,
                          caption(tr("Each cell is one weight matrix: its error RMS divided by its weights' RMS under the "
                                     "scheme shown (log colour scale, dark = small). Layers whose cells glow are the "
                                     "ones to keep at higher precision. Click a cell to select the tensor."),
                                  tab),
                          heatmapTitle_),
                   1);

    sweepView_ = chartView(tab);
    sweepView_->setObjectName(QStringLiteral("sweepChart"));
    sweepSubject_ = new QComboBox(tab);
    sweepSubject_->addItem(tr("Sweep the selected tensor"));
    sweepSubject_->addItem(tr("Sweep the whole model"));
    sweepSubject_->setToolTip(tr("35 schemes (int2..int8 at 5 granularities) in one pass of the analysis engine"));
    connect(sweepSubject_, &QComboBox::currentIndexChanged, this, &QuantLabPage::runSweep);
    sweepCaption_ = caption(tr("Seed 002's table as curves: symmetric absmax int-b, s = max|w| / (2^(b-1) - 1), with one scale "
                               "per tensor, per row or per group. Outliers stretch a tensor-wide scale; per-group scales "
                               "quarantine them, so the group curves sit far below the tensor curve at low bits."),
                            tab);
    top->addWidget(panel(tab, sweepView_, sweepCaption_, sweepSubject_), 1);

    layerView_ = chartView(tab);
    layerView_->setObjectName(QStringLiteral("layerChart"));
    bottom->addWidget(panel(tab, layerView_,
                          caption(tr("Relative RMSE of each transformer block (all its matrices together), one bar per "
                                     "scheme. Click a bar to select that layer's worst tensor for the scheme."),
                                  tab)),
                      1);
    groupErrorView_ = chartView(tab);
    groupErrorView_->setObjectName(QStringLiteral("groupErrorChart"));
    bottom->addWidget(panel(tab, groupErrorView_,
                          caption(tr("How the selected tensor's error spreads over its scale groups: the share of groups "
                                     "per RMSE bin (4 bins per octave). A long right tail means a few groups (those with "
                                     "outliers) carry most of the error."),
                                  tab)),
                      1);
    // Beside the Lessons dock or on a projector the four panels go one under the other, each
    // at a height where its labels read (the page scrolls vertically).
    for (QBoxLayout* row : {top, bottom}) {
        auto* arrangement = new WidthAdaptiveArrangement(tab, row, QBoxLayout::TopToBottom, [this, tab](bool stacked) {
            // Stacked, a chart is as tall as ~22 lines of the current font: room for its title,
            // legend, tick labels and a vertical axis title at a projector's font size too.
            const int stackedHeight = std::max(360, 22 * QFontMetrics(tab->font()).lineSpacing());
            for (QChartView* view : {sweepView_, layerView_, groupErrorView_})
                if (view)
                    view->setMinimumHeight(stacked ? stackedHeight : 220);
            if (heatmap_)
                heatmap_->setMinimumHeight(stacked ? stackedHeight : 0);
        });
        // Side by side, each panel needs ~500 px at the normal font for its legend, axis titles
        // and the heatmap's role names to read in full; the arrangement scales this with the
        // font, so presentation mode on a 1280-pixel projector stacks the panels.
        arrangement->setLegibleSideBySideWidth(1000);
    }
    return tab;
}

QWidget* QuantLabPage::buildGroupsTab()
{
    auto* tab = new QWidget(this);
    auto* layout = new QVBoxLayout(tab);
    auto* row = new QHBoxLayout;
    groupSpin_ = new QSpinBox(tab);
    groupSpin_->setObjectName(QStringLiteral("groupSpin"));
    groupSpin_->setPrefix(tr("group "));
    groupSpin_->setToolTip(tr("Which scale group of the selected tensor to put under the microscope"));
    auto* worst = new QPushButton(tr("Worst group"), tab);
    worst->setToolTip(tr("The group with the largest RMSE under the scheme shown (usually one holding an outlier)"));
    auto* median = new QPushButton(tr("Typical group"), tab);
    median->setToolTip(tr("The group whose RMSE is the median of the tensor's groups"));
    zoomToGroup_ = new QCheckBox(tr("Zoom to the group"), tab);
    row->addWidget(new QLabel(tr("Group:"), tab));
    row->addWidget(groupSpin_);
    row->addWidget(median);
    row->addWidget(worst);
    row->addWidget(zoomToGroup_);
    row->addStretch(1);
    layout->addLayout(row);
    gridView_ = chartView(tab);
    gridView_->setObjectName(QStringLiteral("gridChart"));
    layout->addWidget(gridView_, 1);
    groupCaption_ = caption(tr("Why outliers stretch the scale. Grey: every weight of the tensor. Dashed orange: the levels "
                               "one absmax scale for the whole tensor gives at the same bits \u2014 the largest weight "
                               "sets the step, so the bulk near zero falls on a handful of levels. Blue: the levels of "
                               "the selected group's own scale, dense where its weights are. Green dots: the group's "
                               "weights; pink squares: where quantization puts them."),
                            tab);
    groupCaption_->setObjectName(QStringLiteral("groupCaption"));
    layout->addWidget(groupCaption_);
    // Beside the Lessons dock on a projector the legend's full entries would be cut: it shows
    // short names, and the caption says them in full, figures included.
    gridLegend_ = new LegendNameFitter(gridView_, [this, text = groupCaption_->text()](const QStringList& full) {
        groupCaption_->setText(full.isEmpty() ? text : text + QLatin1Char('\n') + tr("The legend in full: %1.").arg(full.join(QStringLiteral("; "))));
    });
    connect(groupSpin_, &QSpinBox::valueChanged, this, &QuantLabPage::runDetail);
    connect(worst, &QPushButton::clicked, this, [this] {
        selectGroup(GroupPick::Worst);
        runDetail();
    });
    connect(median, &QPushButton::clicked, this, [this] {
        selectGroup(GroupPick::Median);
        runDetail();
    });
    connect(zoomToGroup_, &QCheckBox::toggled, this, &QuantLabPage::showDetail);
    return tab;
}

QWidget* QuantLabPage::buildTableTab()
{
    auto* tab = new QWidget(this);
    auto* layout = new QVBoxLayout(tab);
    tableFilter_ = new QLineEdit(tab);
    tableFilter_->setPlaceholderText(tr("Filter by tensor name, role or scheme\u2026"));
    tableFilter_->setClearButtonEnabled(true);
    results_ = new TensorResultsModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(results_);
    proxy_->setSortRole(Qt::UserRole);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy_->setFilterKeyColumn(-1);
    table_ = new QTableView(tab);
    table_->setObjectName(QStringLiteral("resultsTable"));
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);  // model order until a header is clicked
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(TensorResultsModel::Tensor, QHeaderView::Stretch);
    layout->addWidget(tableFilter_);
    layout->addWidget(table_, 1);
    layout->addWidget(caption(tr("Every analysed tensor under every scheme. Click a header to sort (numerically); hover a "
                                 "header for how the figure is computed; click a row to select the tensor everywhere."),
                              tab));
    connect(tableFilter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
    connect(table_, &QTableView::clicked, this, [this](const QModelIndex& index) {
        selectTensor(index.data(TensorResultsModel::TensorPositionRole).toInt());
    });
    return tab;
}

QChart* QuantLabPage::sweepChart() const { return sweepView_->chart(); }
QChart* QuantLabPage::layerChart() const { return layerView_->chart(); }
QChart* QuantLabPage::gridChart() const { return gridView_->chart(); }
QChart* QuantLabPage::groupErrorChart() const { return groupErrorView_->chart(); }

int QuantLabPage::selectedScheme() const { return std::max(0, schemeCombo_->currentIndex()); }

QJsonObject QuantLabPage::saveState() const
{
    return {{QStringLiteral("schemes"), QJsonArray::fromStringList(picker_->schemeNames())},
            {QStringLiteral("scheme"), schemeCombo_->currentText()},
            {QStringLiteral("tensor"), selectedTensorName_},
            {QStringLiteral("sweepWholeModel"), sweepSubject_->currentIndex() == 1},
            {QStringLiteral("planBudgetKind"), plan_->budget().kind == PlanBudget::Kind::BitsPerWeight
                                                    ? QStringLiteral("bits") : QStringLiteral("bytes")},
            {QStringLiteral("planBudget"), plan_->budget().value}};
}

void QuantLabPage::restoreState(const QJsonObject& state, QStringList* warnings)
{
    if (state.contains(QStringLiteral("schemes"))) {
        QStringList names;
        for (const QJsonValue& name : state.value(QStringLiteral("schemes")).toArray())
            names << name.toString();
        const QStringList previous = picker_->schemeNames();
        if (!picker_->setSchemeNames(names)) {
            const QString error = picker_->errorText();
            picker_->setSchemeNames(previous);
            if (warnings)
                warnings->append(tr("Quant Lab: the schemes '%1' were not restored: %2").arg(names.join(QLatin1Char(',')), error));
        }
    }
    if (state.contains(QStringLiteral("scheme"))) {
        const int index = schemeCombo_->findText(state.value(QStringLiteral("scheme")).toString());
        if (index >= 0)
            schemeCombo_->setCurrentIndex(index);
        else  // not analysed yet: chosen when the analysis arrives
            preferredScheme_ = state.value(QStringLiteral("scheme")).toString();
    }
    if (state.contains(QStringLiteral("tensor")))
        selectedTensorName_ = state.value(QStringLiteral("tensor")).toString();
    if (state.contains(QStringLiteral("sweepWholeModel")))
        sweepSubject_->setCurrentIndex(state.value(QStringLiteral("sweepWholeModel")).toBool() ? 1 : 0);
    if (state.contains(QStringLiteral("planBudget"))) {
        const double value = state.value(QStringLiteral("planBudget")).toDouble();
        plan_->setBudget(state.value(QStringLiteral("planBudgetKind")).toString() == QLatin1String("bytes")
                             ? PlanBudget{PlanBudget::Kind::Bytes, value} : PlanBudget::bitsPerWeight(value));
    }
}

QList<ExportableChart> QuantLabPage::exportableCharts() const
{
    return {{tr("Bit-width sweep"), sweepView_}, {tr("Relative RMSE per layer"), layerView_},
            {tr("Per-group RMSE distribution"), groupErrorView_}, {tr("Weight histogram and quantization grids"), gridView_}};
}

QList<ExportableTable> QuantLabPage::exportableTables() const
{
    return {{tr("Quantization error per tensor and scheme"), results_}};
}

QList<ExportableTable> QuantLabPage::reportTables() const
{
    if (!analysis_)
        return {};
    schemeReportTable_->setTable(quantSchemeTable(*analysis_));
    layerReportTable_->setTable(quantLayerTable(*analysis_));
    return {{schemeReportTable_->table().title, schemeReportTable_}, {layerReportTable_->table().title, layerReportTable_}};
}

QString QuantLabPage::reportSummaryHtml() const
{
    if (!analysis_)
        return {};
    QStringList rows;
    for (const SchemeMetrics& m : analysis_->model)
        rows << tr("<b>%1</b>: %2 bits/weight, relative RMSE %3").arg(m.scheme).arg(m.bitsPerWeight, 0, 'f', 3).arg(formatPercent(m.error.relativeRmse()));
    return tr("<p>%1: %2 weights in %3 tensors, analysed on %4 in %5 s.</p><p>%6</p>")
        .arg(analysis_->sourceName.toHtmlEscaped(), formatCount(double(analysis_->model.empty() ? 0 : analysis_->model.front().params)))
        .arg(analysis_->tensors.size())
        .arg(analysis_->device)
        .arg(analysis_->seconds, 0, 'f', 2)
        .arg(rows.join(QStringLiteral("<br>")));
}

}  // namespace cstudio::ui
