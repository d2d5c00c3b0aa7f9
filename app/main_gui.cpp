// compression-studio: the desktop application.
#include "ui/main_window.h"

#include <QApplication>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CompressionStudio"));
    QApplication::setApplicationName(QStringLiteral("Compression Studio"));
    QApplication::setApplicationVersion(QStringLiteral(CSTUDIO_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("compression-studio"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/compression-studio.svg")));

    cstudio::ui::MainWindow window;
    window.show();
    return app.exec();
}
