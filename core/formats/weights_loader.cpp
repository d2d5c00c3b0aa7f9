#include "core/formats/weights_loader.h"

#include "core/formats/demo_model.h"
#include "core/formats/gguf_reader.h"
#include "core/formats/npy_reader.h"
#include "core/formats/npz_reader.h"
#include "core/formats/safetensors_reader.h"

#include <QFile>
#include <QFileInfo>

namespace cstudio {
namespace {

enum class Format { Unknown, Safetensors, Gguf, Npy, Npz };

// Magic bytes decide; safetensors has none (it starts with a header length), so it is
// recognised by the '{' that opens its JSON header, or else by its extension.
Format formatOf(const QString& path, const QByteArray& head)
{
    if (head.startsWith("GGUF"))
        return Format::Gguf;
    if (head.startsWith("\x93NUMPY"))
        return Format::Npy;
    if (head.startsWith("PK\x03\x04") || head.startsWith("PK\x05\x06"))
        return Format::Npz;
    if (head.size() >= 9 && head.at(8) == '{')
        return Format::Safetensors;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("safetensors") || path.endsWith(QLatin1String(".index.json"), Qt::CaseInsensitive))
        return Format::Safetensors;
    if (suffix == QLatin1String("gguf"))
        return Format::Gguf;
    if (suffix == QLatin1String("npy"))
        return Format::Npy;
    if (suffix == QLatin1String("npz"))
        return Format::Npz;
    return Format::Unknown;
}

}  // namespace

Result<std::shared_ptr<TensorSource>> openWeights(const QString& path, const JobControl& job)
{
    if (path == kDemoModelPath)
        return makeDemoModel();
    const QFileInfo info(path);
    if (!info.exists())
        return Error{path, -1, QStringLiteral("cannot open: no such file or folder")};
    if (info.isDir())
        return openSafetensors(path, job);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path, -1, QStringLiteral("cannot be opened for reading: %1").arg(file.errorString())};
    const QByteArray head = file.read(16);
    file.close();
    switch (formatOf(path, head)) {
    case Format::Safetensors:
        return openSafetensors(path, job);
    case Format::Gguf:
        return openGguf(path, job);
    case Format::Npy:
        return openNpy(path, job);
    case Format::Npz:
        return openNpz(path, job);
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
