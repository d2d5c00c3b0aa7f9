// compression-studio: the desktop application.
#include "ui/main_window.h"

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
    parser.process(app);

    cstudio::ui::MainWindow window;
    if (parser.isSet(pageOption) && !window.showPage(parser.value(pageOption))) {
        qWarning("compression-studio: there is no page named '%s'", qPrintable(parser.value(pageOption)));
        return 2;
    }
    window.show();
    return app.exec();
}
