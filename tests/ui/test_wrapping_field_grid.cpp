// WrappingFieldGrid (the Quant Lab's top bar): labelled fields side by side while the width
// holds them, one field to a row when it does not, every field at least its minimum width
// either way, and a minimum width that lets a narrow window (or the Lessons dock) reach it.
#include "ui/widgets/wrapping_field_grid.h"

#include <QLabel>
#include <QLineEdit>
#include <QtTest>

using namespace cstudio::ui;

class WrappingFieldGridTest : public QObject {
    Q_OBJECT
private:
    struct Bar {
        std::unique_ptr<WrappingFieldGrid> grid;
        std::vector<QLineEdit*> fields;
    };

    static Bar makeBar()
    {
        Bar bar{std::make_unique<WrappingFieldGrid>(2), {}};
        for (int i = 0; i < 4; ++i) {
            auto* field = new QLineEdit;
            field->setMinimumWidth(200);
            bar.grid->addField(new QLabel(QStringLiteral("Field %1:").arg(i)), field);
            bar.fields.push_back(field);
        }
        return bar;
    }

    static void showAt(WrappingFieldGrid* grid, int width)
    {
        grid->resize(width, 200);
        grid->show();
        QVERIFY(QTest::qWaitForWindowExposed(grid));
        QTest::qWait(50);  // the rearranged grid lays out
    }

private Q_SLOTS:
    void twoFieldsShareARowWhereTheWidthHoldsThem()
    {
        Bar bar = makeBar();
        showAt(bar.grid.get(), 1000);
        QVERIFY(!bar.grid->isWrapped());
        QCOMPARE(bar.fields[0]->y(), bar.fields[1]->y());
        QCOMPARE(bar.fields[2]->y(), bar.fields[3]->y());
        QVERIFY(bar.fields[2]->y() > bar.fields[0]->y());
        QCOMPARE(bar.fields[0]->x(), bar.fields[2]->x());  // the columns line up
    }

    void oneFieldToARowWhereTheyDoNotFitSideBySide()
    {
        Bar bar = makeBar();
        showAt(bar.grid.get(), 1000);
        QVERIFY(!bar.grid->isWrapped());
        bar.grid->resize(380, 200);
        QTest::qWait(50);
        QVERIFY(bar.grid->isWrapped());
        for (std::size_t i = 1; i < bar.fields.size(); ++i) {
            QVERIFY(bar.fields[i]->y() > bar.fields[i - 1]->y());
            QCOMPARE(bar.fields[i]->x(), bar.fields[0]->x());
        }
        for (QLineEdit* field : bar.fields) {
            QVERIFY2(field->width() >= 200, qPrintable(QString::number(field->width())));
            QVERIFY(field->geometry().right() < bar.grid->width());
        }
        bar.grid->resize(1000, 200);  // and back when the room returns
        QTest::qWait(50);
        QVERIFY(!bar.grid->isWrapped());
        QCOMPARE(bar.fields[0]->y(), bar.fields[1]->y());
    }

    void itsMinimumWidthIsThatOfOneFieldToARow()
    {
        Bar bar = makeBar();
        showAt(bar.grid.get(), 1000);
        // Two fields side by side need over 400 px; one to a row, a label and 200 px.
        QVERIFY2(bar.grid->minimumWidth() > 200 && bar.grid->minimumWidth() < 400, qPrintable(QString::number(bar.grid->minimumWidth())));
    }
};

QTEST_MAIN(WrappingFieldGridTest)
#include "test_wrapping_field_grid.moc"
