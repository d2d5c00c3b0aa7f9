#include "core/formats/weights_loader.h"

#include "core/formats/demo_model.h"
#include "core/formats/npy_reader.h"

#include <QFile>
#include <QFileInfo>

namespace cstudio {
namespace {

enum class Format { Unknown, Npy };

Format formatOf(const QString& path, const QByteArray& head)
{
    if (head.startsWith("\x93NUMPY"))
        return Format::Npy;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("npy"))
        return Format::Npy;
    return Format::Unknown;
}

}  // namespace

Result<std::shared_ptr<TensorSource>> openWeights(const QString& path, const JobControl& job)
{
    if (path == kDemoModelPath)
        return makeDemoModel();
    const QFileInfo info(path);
    if (!info.exists())
        return Error{path, -1, QStringLiteral("no such file or folder")};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path, -1, QStringLiteral("cannot be opened for reading: %1").arg(file.errorString())};
    const QByteArray head = file.read(16);
    file.close();
    switch (formatOf(path, head)) {
    case Format::Npy:
        return openNpy(path, job);
    case Format::Unknown:
        break;
    }
    return Error{path, 0, QStringLiteral("not a weights file this studio reads (expected .safetensors, .gguf, .npy or .npz)")};
}

QString weightsFileFilter()
{
    return QStringLiteral("Model weights (*.safetensors *.gguf *.npy *.npz *.json);;All files (*)");
}

}  // namespace cstudio
