#pragma once
// GUI tests on a projector: the test platform's screen is offscreen, 1280×720 at 96 dpi,
// whatever display the machine has, so full screen means 1280×720 there.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QTest>

namespace cstudio::test {

inline constexpr int kProjectorWidth = 1280, kProjectorHeight = 720;

// The body of a test's main(): runs `Test` on the projector screen. `name` keeps the screen
// files of tests running at the same time apart.
template <class Test>
int runOnProjectorScreen(int argc, char* argv[], const char* name)
{
    const QString config =
        QDir::temp().filePath(QStringLiteral("cstudio-%1-%2.json").arg(QLatin1String(name)).arg(QCoreApplication::applicationPid()));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly))
        return 1;
    file.write(QStringLiteral(R"({"screens": [{"name": "projector", "x": 0, "y": 0, "width": %1, "height": %2,
                                  "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})")
                   .arg(kProjectorWidth)
                   .arg(kProjectorHeight)
                   .toUtf8());
    file.close();
    qputenv("QT_QPA_PLATFORM", QStringLiteral("offscreen:configfile=%1").arg(config).toLocal8Bit());
    int result = 0;
    {
        QApplication app(argc, argv);
        Test test;
        result = QTest::qExec(&test, argc, argv);
    }
    QFile::remove(config);
    return result;
}

}  // namespace cstudio::test
