// compression-studio: the desktop application.
#include "ui/main_window.h"
#include "ui/weights/weights_page.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
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
    parser.process(app);

    cstudio::ui::MainWindow window;
    if (parser.isSet(pageOption) && !window.showPage(parser.value(pageOption))) {
        qWarning("compression-studio: there is no page named '%s'", qPrintable(parser.value(pageOption)));
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
    window.show();
    return app.exec();
}
