#include "core/formats/safetensors_reader.h"

#include "core/formats/element_type.h"
#include "core/formats/tensor_naming.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <cstring>

namespace cstudio {
namespace {

constexpr double kMaxExactJsonInteger = 9007199254740992.0;  // 2^53

// Types the format defines that we list without decoding, with their bytes per element.
const std::pair<const char*, int> kListedOnlyTypes[] = {{"C64", 8}, {"F8_E8M0", 1}};

bool toCount(const QJsonValue& value, qint64& out)
{
    if (!value.isDouble())
        return false;
    const double number = value.toDouble();
    if (number < 0 || number > kMaxExactJsonInteger || std::floor(number) != number)
        return false;
    out = qint64(number);
    return true;
}

Result<std::shared_ptr<TensorSource>> openShards(const QString& displayName, const QStringList& shardPaths,
                                                 const JobControl& job)
{
    std::vector<StoredTensor> tensors;
    std::vector<std::pair<QString, QString>> metadata;
    for (int i = 0; i < shardPaths.size(); ++i) {
        if (job.cancelled())
            return Error{displayName, -1, QStringLiteral("cancelled")};
        job.report(double(i) / double(shardPaths.size()),
                   QStringLiteral("Reading shard %1 of %2").arg(i + 1).arg(shardPaths.size()));
        if (auto read = readSafetensorsFile(shardPaths[i], tensors, metadata); !read)
            return read.error();
    }
    QSet<QString> names;
    for (const StoredTensor& tensor : tensors) {
        if (names.contains(tensor.info.name))
            return Error{displayName, -1, QStringLiteral("tensor '%1' appears in more than one shard").arg(tensor.info.name)};
        names.insert(tensor.info.name);
    }
    if (shardPaths.size() > 1)
        metadata.insert(metadata.begin(), {QStringLiteral("shards"), QString::number(shardPaths.size())});
    job.report(1.0, QStringLiteral("Read %1 tensors").arg(tensors.size()));
    return std::shared_ptr<TensorSource>(std::make_shared<MappedTensorSource>(displayName, std::move(tensors), std::move(metadata)));
}

Result<std::shared_ptr<TensorSource>> openIndex(const QString& indexPath, const JobControl& job)
{
    QFile file(indexPath);
    if (!file.open(QIODevice::ReadOnly))
        return Error{indexPath, -1, QStringLiteral("cannot be opened for reading: %1").arg(file.errorString())};
    if (file.size() > kSafetensorsMaxHeaderBytes)
        return Error{indexPath, -1, QStringLiteral("index file of %1 bytes is implausibly large").arg(file.size())};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{indexPath, parseError.offset, QStringLiteral("invalid JSON: %1").arg(parseError.errorString())};
    const QJsonObject weightMap = document.object().value(QStringLiteral("weight_map")).toObject();
    if (!document.isObject() || weightMap.isEmpty())
        return Error{indexPath, -1, QStringLiteral("no \"weight_map\" object: not a safetensors index")};
    const QDir folder = QFileInfo(indexPath).absoluteDir();
    QStringList shardNames;
    for (auto it = weightMap.begin(); it != weightMap.end(); ++it) {
        const QString shard = it.value().toString();
        if (shard.isEmpty() || shard.contains(QLatin1Char('/')) || shard.contains(QLatin1Char('\\')) || shard.startsWith(QLatin1Char('.')))
            return Error{indexPath, -1, QStringLiteral("tensor '%1' maps to an invalid shard name '%2'").arg(it.key(), shard)};
        if (!shardNames.contains(shard))
            shardNames << shard;
    }
    shardNames.sort();
    QStringList shardPaths;
    for (const QString& shard : shardNames) {
        if (!folder.exists(shard))
            return Error{indexPath, -1, QStringLiteral("missing shard '%1' (named in the index, not found in %2)").arg(shard, folder.path())};
        shardPaths << folder.filePath(shard);
    }
    auto source = openShards(indexPath, shardPaths, job);
    if (!source)
        return source;
    QSet<QString> present;
    for (const TensorInfo& info : source.value()->tensors())
        present.insert(info.name);
    for (auto it = weightMap.begin(); it != weightMap.end(); ++it)
        if (!present.contains(it.key()))
            return Error{indexPath, -1, QStringLiteral("tensor '%1' is listed in the index but missing from shard '%2'")
                                            .arg(it.key(), it.value().toString())};
    return source;
}

}  // namespace

Result<void> readSafetensorsFile(const QString& path, std::vector<StoredTensor>& tensors,
                                 std::vector<std::pair<QString, QString>>& metadata)
{
    auto opened = MappedFile::open(path);
    if (!opened)
        return opened.error();
    std::shared_ptr<const MappedFile> file = opened.value();
    const auto error = [&](qint64 offset, const QString& message) { return Error{path, offset, message}; };
    if (file->size() < 8)
        return error(0, QStringLiteral("the file is %1 bytes long, too short for a safetensors header").arg(file->size()));
    quint64 headerLength;
    std::memcpy(&headerLength, file->data(), 8);
    if (headerLength > quint64(kSafetensorsMaxHeaderBytes))
        return error(0, QStringLiteral("header length %1 exceeds the 100 MB limit of the format").arg(headerLength));
    if (headerLength > quint64(file->size() - 8))
        return error(0, QStringLiteral("header length %1 runs past the end of the file (%2 bytes)").arg(headerLength).arg(file->size()));
    const QByteArray header = QByteArray::fromRawData(reinterpret_cast<const char*>(file->data() + 8), qsizetype(headerLength));
    if (!header.startsWith('{'))
        return error(8, QStringLiteral("the header does not start with '{'"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(header, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return error(8 + parseError.offset, QStringLiteral("invalid JSON header: %1").arg(parseError.errorString()));
    if (!document.isObject())
        return error(8, QStringLiteral("the header is not a JSON object"));
    const qint64 dataStart = 8 + qint64(headerLength);
    const qint64 dataLength = file->size() - dataStart;

    std::vector<StoredTensor> fileTensors;
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString name = it.key();
        if (name == QLatin1String("__metadata__")) {
            if (!it.value().isObject())
                return error(8, QStringLiteral("__metadata__ is not an object"));
            const QJsonObject entries = it.value().toObject();
            for (auto entry = entries.begin(); entry != entries.end(); ++entry) {
                if (!entry.value().isString())
                    return error(8, QStringLiteral("__metadata__ value '%1' is not a string").arg(entry.key()));
                metadata.emplace_back(entry.key(), entry.value().toString());
            }
            continue;
        }
        const QJsonObject entry = it.value().toObject();
        const QString dtypeName = entry.value(QStringLiteral("dtype")).toString();
        const QJsonArray shapeArray = entry.value(QStringLiteral("shape")).toArray();
        const QJsonArray offsets = entry.value(QStringLiteral("data_offsets")).toArray();
        if (!it.value().isObject() || !entry.value(QStringLiteral("shape")).isArray() || offsets.size() != 2)
            return error(8, QStringLiteral("tensor '%1' lacks a dtype, shape or two data_offsets").arg(name));
        StoredTensor tensor;
        TensorInfo& info = tensor.info;
        info.name = name;
        info.dtype = dtypeName;
        int elementSize = 0;
        if (const auto type = elementTypeFromSafetensorsName(dtypeName)) {
            elementSize = elementBytes(*type);
            tensor.encoding = {1, elementSize, elementDecoder(*type, false)};
            info.decodable = true;
        } else {
            for (const auto& [listed, bytes] : kListedOnlyTypes)
                if (dtypeName == QLatin1String(listed))
                    elementSize = bytes;
            if (elementSize == 0)
                return error(8, QStringLiteral("tensor '%1' has unknown dtype '%2'").arg(name, dtypeName));
        }
        qint64 elements = 1;
        for (const QJsonValue& extentValue : shapeArray) {
            qint64 extent;
            if (!toCount(extentValue, extent))
                return error(8, QStringLiteral("tensor '%1': shape holds something other than non-negative integers").arg(name));
            if (__builtin_mul_overflow(elements, extent, &elements))
                return error(8, QStringLiteral("tensor '%1': its element count overflows").arg(name));
            info.shape.push_back(extent);
        }
        qint64 begin, end;
        if (!toCount(offsets[0], begin) || !toCount(offsets[1], end) || end < begin)
            return error(8, QStringLiteral("tensor '%1': data_offsets are not two ascending non-negative integers").arg(name));
        qint64 expectedBytes;
        if (__builtin_mul_overflow(elements, qint64(elementSize), &expectedBytes) || end - begin != expectedBytes)
            return error(dataStart + begin, QStringLiteral("tensor '%1': data_offsets span %2 bytes but shape × %3 needs %4")
                                                .arg(name).arg(end - begin).arg(dtypeName).arg(elements * elementSize));
        if (end > dataLength)
            return error(dataStart + begin, QStringLiteral("tensor '%1': data_offsets [%2, %3] lie beyond the end of the data (%4 bytes)")
                                                .arg(name).arg(begin).arg(end).arg(dataLength));
        info.elementCount = elements;
        info.byteSize = end - begin;
        tensor.file = file;
        tensor.offset = dataStart + begin;
        annotateFromName(info);
        fileTensors.push_back(std::move(tensor));
    }
    // As the safetensors library: sorted by offset, the tensors tile the data with no gap or
    // overlap, from byte 0 to the end of the file.
    std::sort(fileTensors.begin(), fileTensors.end(), [](const StoredTensor& a, const StoredTensor& b) {
        return a.offset != b.offset ? a.offset < b.offset : a.info.byteSize < b.info.byteSize;
    });
    qint64 expectedOffset = dataStart;
    for (const StoredTensor& tensor : fileTensors) {
        if (tensor.offset != expectedOffset)
            return error(tensor.offset, tensor.offset < expectedOffset
                                            ? QStringLiteral("tensor '%1' overlaps the tensor before it").arg(tensor.info.name)
                                            : QStringLiteral("gap before tensor '%1': its data should start at byte %2")
                                                  .arg(tensor.info.name).arg(expectedOffset));
        expectedOffset += tensor.info.byteSize;
    }
    if (expectedOffset != file->size())
        return error(expectedOffset, QStringLiteral("the tensors end at byte %1 but the file has %2 bytes").arg(expectedOffset).arg(file->size()));
    for (StoredTensor& tensor : fileTensors)
        tensors.push_back(std::move(tensor));
    return {};
}

Result<std::shared_ptr<TensorSource>> openSafetensors(const QString& path, const JobControl& job)
{
    const QFileInfo info(path);
    if (info.isDir()) {
        const QDir folder(path);
        if (folder.exists(QStringLiteral("model.safetensors.index.json")))
            return openIndex(folder.filePath(QStringLiteral("model.safetensors.index.json")), job);
        const QStringList indexes = folder.entryList({QStringLiteral("*.safetensors.index.json")}, QDir::Files, QDir::Name);
        if (!indexes.isEmpty())
            return openIndex(folder.filePath(indexes.first()), job);
        QStringList shards;
        for (const QString& name : folder.entryList({QStringLiteral("*.safetensors")}, QDir::Files, QDir::Name))
            shards << folder.filePath(name);
        if (shards.isEmpty())
            return Error{path, -1, QStringLiteral("the folder holds no .safetensors files")};
        return openShards(path, shards, job);
    }
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        return openIndex(path, job);
    return openShards(path, {path}, job);
}

}  // namespace cstudio
