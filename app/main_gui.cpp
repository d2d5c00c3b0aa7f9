// compression-studio: the desktop application.
#ifdef CSTUDIO_HAVE_CUDA
#include "gpu/cuda_analysis_engine.h"
#endif
#include "ui/lessons/lessons_panel.h"
#include "ui/main_window.h"
#include "ui/presentation/presentation_mode.h"
#include "ui/weights/weights_page.h"
#include "ui/workshop/workshop_controller.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
#ifdef CSTUDIO_HAVE_CUDA
    cstudio::registerCudaAnalysisEngine();  // static library: no static initializer runs
#endif
    QApplication::setOrganizationName(QStringLiteral("CompressionStudio"));
    QApplication::setApplicationName(QStringLiteral("Compression Studio"));
    QApplication::setApplicationVersion(QStringLiteral(CSTUDIO_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("compression-studio"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/compression-studio.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("See the memory, speed and error of model compression."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption pageOption(QStringLiteral("page"), QStringLiteral("Open on the page named <name>."),
                                        QStringLiteral("name"));
    parser.addOption(pageOption);
    const QCommandLineOption openOption(QStringLiteral("open"),
                                        QStringLiteral("Open the weights <file> (or folder) on the Weights page."),
                                        QStringLiteral("file"));
    parser.addOption(openOption);
    const QCommandLineOption sessionOption(QStringLiteral("session"), QStringLiteral("Open the saved session <file> (.cstudio)."),
                                           QStringLiteral("file"));
    const QCommandLineOption lessonOption(QStringLiteral("lesson"),
                                          QStringLiteral("Open lesson <lesson> (its number or file name), optionally at a "
                                                         "step: --lesson 6:3."),
                                          QStringLiteral("lesson"));
    const QCommandLineOption presentOption(QStringLiteral("present"),
                                           QStringLiteral("Start in presentation mode (full screen, large fonts; F11 or Esc leaves it)."));
    parser.addOptions({sessionOption, lessonOption, presentOption});
    parser.process(app);

    cstudio::ui::MainWindow window;
    if (parser.isSet(pageOption) && !window.showPage(parser.value(pageOption))) {
        qWarning("compression-studio: there is no page named '%s'; the pages are: %s", qPrintable(parser.value(pageOption)),
                 qPrintable(window.pageTitles().join(QStringLiteral(", "))));
        return 2;
    }
    if (parser.isSet(openOption)) {
        auto* weights = qobject_cast<cstudio::ui::WeightsPage*>(window.page(QStringLiteral("Weights")));
        if (weights) {
            weights->openPath(parser.value(openOption));
            if (!parser.isSet(pageOption))
                window.showPage(QStringLiteral("Weights"));
        }
    }
    cstudio::ui::WorkshopController* workshop = window.workshop();
    if (parser.isSet(sessionOption)) {
        const auto opened = workshop->openSession(parser.value(sessionOption));
        if (!opened) {
            qWarning("compression-studio: %s", qPrintable(opened.error().toString()));
            return 1;
        }
        for (const QString& warning : *opened)
            qWarning("compression-studio: %s", qPrintable(warning));
    }
    if (parser.isSet(lessonOption)) {
        const QString lesson = parser.value(lessonOption).section(QLatin1Char(':'), 0, 0);
        const int step = qMax(1, parser.value(lessonOption).section(QLatin1Char(':'), 1, 1).toInt()) - 1;
        bool isNumber = false;
        const int number = lesson.toInt(&isNumber);
        cstudio::ui::LessonsPanel* panel = workshop->lessonsPanel();
        if (!(isNumber ? panel->startLesson(number - 1, step) : panel->startLesson(lesson, step))) {
            qWarning("compression-studio: there is no lesson '%s'", qPrintable(lesson));
            return 2;
        }
        workshop->lessonsDock()->show();
    }
    window.show();
    if (parser.isSet(presentOption))
        workshop->presentation()->setActive(true);
    return app.exec();
}
